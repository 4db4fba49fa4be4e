<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App::AppSettings</name>
    <message>
        <location filename="../app/appsettings.cpp" line="+126"/>
        <source>Unknown setting &quot;%1&quot;.</source>
        <translation>未知的设置项“%1”。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Other computers on your network will be able to connect to this server.</source>
        <translation>你所在网络中的其他计算机将能够连接到这台服务器。</translation>
    </message>
</context>
<context>
    <name>App::ChannelListDialog</name>
    <message>
        <location filename="../app/channellistdialog.cpp" line="+105"/>
        <source>Channel List</source>
        <translation>频道列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Filter:</source>
        <translation>筛选(&amp;F)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Part of a name or topic</source>
        <translation>名称或主题中的文字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At &amp;least:</source>
        <translation>至少(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> users</source>
        <translation> 个用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>any number of users</source>
        <translation>用户数不限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Join the selected channel (or double-click it)</source>
        <translation>加入选中的频道（或双击它）</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Asking the server for its channels…</source>
        <translation>正在向服务器索取频道列表……</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Channels shown: %1 of %2</source>
        <translation>显示的频道：%1 / %2</translation>
    </message>
</context>
<context>
    <name>App::ChannelSettingsDialog</name>
    <message>
        <location filename="../app/channelsettingsdialog.cpp" line="+144"/>
        <source>Settings of %1</source>
        <translation>%1 的设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Modes</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Bans</source>
        <translation>封禁(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Topic:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None: anyone may join</source>
        <translation>无：任何人都可以加入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User &amp;limit:</source>
        <translation>人数上限(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set by</source>
        <translation>设置者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set at</source>
        <translation>设置时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mask to ban, e.g. nick!*@* or *!*@example.com</source>
        <translation>要封禁的掩码，例如 nick!*@* 或 *!*@example.com</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Invite only (+i)</source>
        <translation>仅限邀请(&amp;I) (+i)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>M&amp;oderated (+m)</source>
        <translation>受控发言(&amp;O) (+m)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;No outside messages (+n)</source>
        <translation>禁止外部消息(&amp;N) (+n)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Secret (+s)</source>
        <translation>秘密频道(&amp;S) (+s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only operators set the to&amp;pic (+t)</source>
        <translation>仅管理员可设置主题(&amp;P) (+t)</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>You are not in %1: nothing here can be changed.</source>
        <translation>你不在 %1 中：这里的设置都无法修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are not an operator of %1: only its operators can change its modes and bans. Anyone in it may change the topic, since it is not +t.</source>
        <translation>你不是 %1 的管理员：只有管理员才能修改它的模式和封禁。由于它没有设置 +t，频道里的任何人都可以修改主题。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are not an operator of %1: only its operators can change these settings.</source>
        <translation>你不是 %1 的管理员：只有管理员才能修改这些设置。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A ban mask cannot contain spaces or commas.</source>
        <translation>封禁掩码不能包含空格或逗号。</translation>
    </message>
</context>
<context>
    <name>App::ChatInput</name>
    <message>
        <location filename="../app/chatinput.cpp" line="+120"/>
        <source>Send %1 lines?</source>
        <translation>发送 %1 行？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pasted text has %1 lines. Send each of them as a message?</source>
        <translation>粘贴的文本有 %1 行。要把每一行作为一条消息发送吗？</translation>
    </message>
</context>
<context>
    <name>App::ChatWidget</name>
    <message>
        <location filename="../app/chatwidget.cpp" line="+197"/>
        <source>kicked by %1: %2</source>
        <translation>被 %1 踢出：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connected as %1.</source>
        <translation>已以 %1 的身份连接。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connection lost. Reconnecting in %1 s (attempt %2)…</source>
        <translation>连接已断开。%1 秒后重新连接（第 %2 次尝试）……</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Logged in as %1.</source>
        <translation>已登录账户 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Logged out.</source>
        <translation>已退出账户。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not logged in: %1</source>
        <translation>未登录：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Registered the account %1.</source>
        <translation>已注册账户 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The nickname was not registered: %1</source>
        <translation>昵称未能注册：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a message, or /join #channel, /nick name, /msg nick text, /me action</source>
        <translation>输入消息，或使用 /join #频道、/nick 昵称、/msg 昵称 内容、/me 动作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server tells others that you are away. Type /back to return.</source>
        <translation>服务器会告诉其他人你已离开。输入 /back 即可返回。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Chat</source>
        <translation>聊天(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel &amp;List…</source>
        <translation>频道列表(&amp;L)……</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+477"/>
        <source>Channel &amp;Settings…</source>
        <translation>频道设置(&amp;S)……</translation>
    </message>
    <message>
        <location line="-476"/>
        <source>Log &amp;In…</source>
        <translation>登录(&amp;I)…</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Topic: %1</source>
        <translation>主题：%1</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Recent conversation, last line %1</source>
        <translation>最近的私聊，最后一条消息于 %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>(%1, mentioned) %2</source>
        <translation>(%1，有人提到你) %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>You joined %1.</source>
        <translation>你加入了 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 joined %2.</source>
        <translation>%1 加入了 %2。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>You left %1.</source>
        <translation>你离开了 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 left %2.</source>
        <translation>%1 离开了 %2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 left %2 (%3).</source>
        <translation>%1 离开了 %2（%3）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 quit (%2).</source>
        <translation>%1 已退出（%2）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>You are now known as %1.</source>
        <translation>你的昵称已改为 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is now known as %2.</source>
        <translation>%1 的昵称已改为 %2。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 set the topic: %2</source>
        <translation>%1 将主题设置为：%2</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>You are marked as away.</source>
        <translation>你已被标记为离开。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>You are back.</source>
        <translation>你已回来。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Away: %1</source>
        <translation>离开：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Join a channel or open a conversation first.</source>
        <translation>请先加入一个频道或打开一个对话。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Query</source>
        <translation>私聊(&amp;Q)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Whois</source>
        <translation>查询用户信息(&amp;W)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>&amp;Deop</source>
        <translation>取消管理员(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Op</source>
        <translation>设为管理员(&amp;O)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De&amp;voice</source>
        <translation>取消发言权(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Voice</source>
        <translation>给予发言权(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Kick</source>
        <translation>踢出(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Ban</source>
        <translation>封禁(&amp;B)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kick and Ba&amp;n</source>
        <translation>踢出并封禁(&amp;N)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Mute notifications</source>
        <translation>不再通知(&amp;M)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Leave</source>
        <translation>离开频道(&amp;L)</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>App::ClientWindow</name>
    <message>
        <location filename="../app/clientwindow.cpp" line="+104"/>
        <source>Disconnected by user</source>
        <translation>用户断开了连接</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Window closed</source>
        <translation>窗口已关闭</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>QtChat client — %1</source>
        <translation>QtChat 客户端 — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connecting…</source>
        <translation>正在连接……</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signing in…</source>
        <translation>正在登录……</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Away as %1</source>
        <translation>以 %1 的身份离开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Online as %1</source>
        <translation>已上线：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, logged in as %2</source>
        <translation>%1，已登录账户 %2</translation>
    </message>
</context>
<context>
    <name>App::CommandLine</name>
    <message>
        <location filename="../app/commandline.cpp" line="+175"/>
        <source>QtChat: a threaded IRC-subset chat server with a desktop client.</source>
        <translation>QtChat：一个多线程的 IRC 子集聊天服务器，附带桌面客户端。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unexpected argument &apos;%1&apos;.</source>
        <translation>多余的参数“%1”。</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>Cannot read the MOTD file &apos;%1&apos;: %2</source>
        <translation>无法读取每日消息（MOTD）文件“%1”：%2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Invalid protocol &apos;%1&apos;: use irc or tutorial.</source>
        <translation>无效的协议“%1”：请使用 irc 或 tutorial。</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>Desktop: start the server as soon as the window opens.</source>
        <translation>桌面模式：窗口一打开就启动服务器。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Desktop: the chat pane&apos;s nickname.</source>
        <translation>桌面模式：聊天面板使用的昵称。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read and write settings in this file instead of the default.</source>
        <translation>使用此文件读写设置，而不是默认位置。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+14"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Run the server without a window; log to stderr.</source>
        <translation>不打开窗口，只运行服务器；日志输出到 stderr。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Read a password from standard input and print its hash, for --oper.</source>
        <translation>从标准输入读取一个密码并打印其哈希值，供 --oper 使用。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 Values: %2.</source>
        <translation>%1 可选值：%2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 Default: %2.</source>
        <translation>%1 默认值：%2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Headless, %2 in the environment is read when this is not given: a password in it stays out of the process list.</source>
        <translation>%1 无窗口运行时，若未给出此选项，则读取环境变量 %2：其中的密码不会出现在进程列表里。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Invalid --%1. %2</source>
        <translation>--%1 无效。%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Invalid --%1 &apos;%2&apos;. %3</source>
        <translation>无效的 --%1 “%2”。%3</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>Wire protocol: irc, or tutorial for the tutorial&apos;s echo clients (default irc).</source>
        <translation>通信协议：irc，或 tutorial（用于教程中的回显客户端）（默认 irc）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>File whose lines are the message of the day.</source>
        <translation>每日消息（MOTD）文件，每行一条。</translation>
    </message>
</context>
<context>
    <name>App::ConversationView</name>
    <message>
        <location filename="../app/conversationview.cpp" line="+142"/>
        <source>Earlier, from the history</source>
        <translation>以上为历史消息</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>New messages</source>
        <translation>新消息</translation>
    </message>
</context>
<context>
    <name>App::HashPasswordCommand</name>
    <message>
        <location filename="../app/hashpasswordcommand.cpp" line="+75"/>
        <source>Password: </source>
        <translation>密码：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>qtchat: no password given on standard input.
</source>
        <translation>qtchat：标准输入中没有给出密码。
</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Again: </source>
        <translation>再输入一次：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>qtchat: the passwords differ.
</source>
        <translation>qtchat：两次输入的密码不一致。
</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>qtchat: could not hash the password (out of memory?).
</source>
        <translation>qtchat：无法计算密码的哈希值（内存不足？）。
</translation>
    </message>
</context>
<context>
    <name>App::HeadlessServer</name>
    <message>
        <location filename="../app/headlessserver.cpp" line="+18"/>
        <source>qtchat: cannot start the server: %1</source>
        <translation>qtchat：无法启动服务器：%1</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Message received from client:</source>
        <translation>收到客户端发来的消息:</translation>
    </message>
</context>
<context>
    <name>App::InputCommand</name>
    <message>
        <location filename="../app/inputcommand.cpp" line="+40"/>
        <source>Join a channel or open a conversation first.</source>
        <translation>请先加入一个频道或打开一个对话。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Usage: /join #channel</source>
        <translation>用法：/join #频道</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not in a channel: name one, e.g. /part #channel</source>
        <translation>当前不在频道中：请指定频道，例如 /part #频道</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Usage: /nick newname</source>
        <translation>用法：/nick 新昵称</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Usage: /query nick [message]</source>
        <translation>用法：/query 昵称 [消息]</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usage: /msg nick message</source>
        <translation>用法：/msg 昵称 消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unknown command /%1. Known: /join /part /nick /msg /topic /me /whois /list /away /back /quote</source>
        <translation>未知命令 /%1。可用的命令：/join /part /nick /msg /topic /me /whois /list /away /back /quote</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Usage: /whois nick</source>
        <translation>用法：/whois 昵称</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Usage: /quote COMMAND params</source>
        <translation>用法：/quote 命令 参数</translation>
    </message>
</context>
<context>
    <name>App::LanguageManager</name>
    <message>
        <location filename="../app/languagemanager.cpp" line="+102"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>App::LoadPanel</name>
    <message>
        <location filename="../app/loadpanel.cpp" line="+170"/>
        <source>Bots:</source>
        <translation>机器人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages/s per bot:</source>
        <translation>每个机器人的消息/秒：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel:</source>
        <translation>频道：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many bot clients connect. Every bot sends, and every bot receives what the others send.</source>
        <translation>连接多少个机器人客户端。每个机器人都发送消息，也接收其他机器人发送的所有消息。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messages each bot sends per second. The server delivers every message to every other bot: bots × (bots − 1) × rate lines per second in all.</source>
        <translation>每个机器人每秒发送的消息数。服务器把每条消息投递给其他每个机器人：总计每秒 机器人数 × (机器人数 − 1) × 速率 行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The channel the bots join. Keep it apart from the chat pane&apos;s channel so that the chat stays readable; join it from a client window to watch the bots.</source>
        <translation>机器人加入的频道。请与聊天面板的频道分开，以免聊天内容被淹没；可从客户端窗口加入该频道观察机器人。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lift the server&apos;s limits for load testing</source>
        <translation>为负载测试解除服务器限制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Takes effect when the server (re)starts. The server then accepts any number of clients from one address and has no flood control, for every client, not just the bots.</source>
        <translation>在服务器（重新）启动时生效。此后服务器接受来自同一地址的任意数量客户端，并且不做泛洪控制——对所有客户端都是如此，而不仅仅是机器人。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The bots need the server&apos;s limits lifted (%1 clients per address, flood control at %2 lines/s). That is for everyone: never on a server other people can reach.</source>
        <translation>机器人需要服务器解除限制（每个地址 %1 个客户端，泛洪控制为每秒 %2 行）。解除对所有人生效：切勿在其他人能访问的服务器上这样做。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected:</source>
        <translation>已连接：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent:</source>
        <translation>已发送：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivered:</source>
        <translation>已投递：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In flight:</source>
        <translation>传输中：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost:</source>
        <translation>丢失：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency:</source>
        <translation>延迟：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From a bot writing a message to another bot reading it, over the whole run.</source>
        <translation>从一个机器人写出消息到另一个机器人读到它所用的时间，统计整个运行过程。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent but not yet read by every bot. After Stop, the bots wait up to two seconds for these before they leave.</source>
        <translation>已发送但尚未被每个机器人读到的消息。按下停止后，机器人最多等待两秒再离开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overtaken by a later message and not arrived since. Any of these, or a message out of order or twice, means the server broke its promise of delivery in order.</source>
        <translation>被后发的消息超过且至今未到达的消息。出现任何此类消息，或消息乱序、重复，都说明服务器没有做到按序投递。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The bots could not start: %1</source>
        <translation>机器人无法启动：%1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Start the server first: the bots connect to it.</source>
        <translation>请先启动服务器：机器人要连接到它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server runs with its limits, which would refuse or drop the bots. Tick &quot;Lift the server&apos;s limits for load testing&quot; and restart the server.</source>
        <translation>服务器正在以其限制运行，这些限制会拒绝或断开机器人。请勾选“为负载测试解除服务器限制”，然后重启服务器。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The bots connect over IPv4 only; let the server listen on an IPv4 address.</source>
        <translation>机器人只通过 IPv4 连接；请让服务器监听 IPv4 地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; is not a channel name: it starts with # and has no spaces or commas.</source>
        <translation>“%1”不是频道名：频道名以 # 开头，且不含空格或逗号。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restart Server Without Limits</source>
        <translation>重启服务器（解除限制）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart Server With Limits</source>
        <translation>重启服务器（恢复限制）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2 failed)</source>
        <translation>%1（%2 个失败）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>%1 (%2/s)</source>
        <translation>%1（%2/秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (out of order: %2, twice: %3)</source>
        <translation>%1（乱序：%2，重复：%3）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>p50 %1 ms, p99 %2 ms</source>
        <translation>p50 %1 毫秒，p99 %2 毫秒</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Starting the bots…</source>
        <translation>正在启动机器人…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting the bots: %1 of %2 in %3…</source>
        <translation>正在连接机器人：%2 个中已有 %1 个进入 %3…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The bots are sending. Watch the threads view; Stop makes them leave.</source>
        <translation>机器人正在发送消息。请观察线程视图；按停止让它们离开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping: waiting for the messages still on their way…</source>
        <translation>正在停止：等待仍在传输中的消息…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping: the bots are leaving…</source>
        <translation>正在停止：机器人正在离开…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The bots stopped on an error: %1</source>
        <translation>机器人因错误而停止：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bots stopped: nothing was delivered for several seconds.</source>
        <translation>机器人已停止：数秒内没有任何投递。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bots stopped: the server did not let them all in within %1 s.</source>
        <translation>机器人已停止：服务器未能在 %1 秒内接纳所有机器人。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The bots left because the server stopped.</source>
        <translation>服务器已停止，机器人随之离开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped. Every message reached every bot once, in order.</source>
        <translation>已停止。每条消息都按顺序、恰好一次地送达了每个机器人。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped. Lost: %1, out of order: %2, duplicates: %3, not delivered in time: %4.</source>
        <translation>已停止。丢失：%1，乱序：%2，重复：%3，未及时投递：%4。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ready: the server will deliver about %1 lines per second.</source>
        <translation>就绪：服务器每秒将投递约 %1 行。</translation>
    </message>
</context>
<context>
    <name>App::LogModel</name>
    <message numerus="yes">
        <location filename="../app/logmodel.cpp" line="+155"/>
        <source> … (%n more characters)</source>
        <translation>
            <numerusform> ……（还有 %n 个字符）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>DEBUG</source>
        <translation>调试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>INFO</source>
        <translation>信息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>WARN</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>App::LogView</name>
    <message>
        <location filename="../app/logview.cpp" line="+186"/>
        <source>&amp;Level:</source>
        <translation>级别(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Info and above</source>
        <translation>信息及以上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings and above</source>
        <translation>警告及以上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter (thread or text)</source>
        <translation>过滤（线程或文本）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause autoscroll</source>
        <translation>暂停自动滚动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the view where it is while new lines arrive</source>
        <translation>有新日志时保持当前视图位置不动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save…</source>
        <translation>保存……</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location line="+93"/>
        <location line="+8"/>
        <source>Save Log</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Log files (*.log);;Text files (*.txt);;All files (*)</source>
        <translation>日志文件 (*.log);;文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not save the log to %1:
%2</source>
        <translation>无法将日志保存到 %1：
%2</translation>
    </message>
    <message numerus="yes">
        <location line="+66"/>
        <source>%L1 of %Ln line(s)</source>
        <translation>
            <numerusform>%L1 / %Ln 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln line(s)</source>
        <translation>
            <numerusform>%Ln 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::LoginDialog</name>
    <message>
        <location filename="../app/logindialog.cpp" line="+73"/>
        <source>Logged in as %1.</source>
        <translation>已登录账户 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Registered the account %1; you are logged in to it.</source>
        <translation>已注册账户 %1，并已登录。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The nickname was not registered: %1</source>
        <translation>昵称未能注册：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Log In</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Account:</source>
        <translation>账户(&amp;A)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log In</source>
        <translation>登录(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Register This Nick</source>
        <translation>注册此昵称(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connects again and logs in while connecting (SASL).</source>
        <translation>重新连接，并在连接时登录（SASL）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect to register your nickname as an account.</source>
        <translation>连接后才能将昵称注册为账户。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This server does not offer account registration.</source>
        <translation>此服务器不提供账户注册。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Register This Nick makes your nickname, %1, an account with this password.</source>
        <translation>“注册此昵称”会用此密码把你的昵称 %1 注册为账户。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not connected: you will be logged in as %1 when connecting.</source>
        <translation>未连接：连接时将登录账户 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Logging in as %1…</source>
        <translation>正在登录账户 %1…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Registering %1…</source>
        <translation>正在注册 %1…</translation>
    </message>
</context>
<context>
    <name>App::MainWindow</name>
    <message>
        <location filename="../app/mainwindow.cpp" line="+159"/>
        <source>About QtChat</source>
        <translation>关于 QtChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QtChat %1
A threaded IRC-subset chat server you can watch, and its client.</source>
        <translation>QtChat %1
一个可以观察其运行过程的多线程 IRC 子集聊天服务器，以及它的客户端。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>QtChat</source>
        <translation>QtChat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New &amp;Client Window</source>
        <translation>新建客户端窗口(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Networks…</source>
        <translation>网络列表(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)……</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About QtChat</source>
        <translation>关于 QtChat(&amp;A)</translation>
    </message>
    <message numerus="yes">
        <location line="+156"/>
        <source>Listening on %1 port %2 with %n server process(es)</source>
        <translation>
            <numerusform>正在 %1 的端口 %2 上监听，共 %n 个服务器进程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Server stopped; every process ended, then Redis.</source>
        <translation>服务器已停止；所有进程均已结束，随后 Redis 也已结束。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server stopped.</source>
        <translation>服务器已停止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server stopped; every thread ended.</source>
        <translation>服务器已停止，所有线程均已结束。</translation>
    </message>
    <message numerus="yes">
        <location line="+101"/>
        <source>%n process(es)</source>
        <translation>
            <numerusform>%n 个进程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cluster node %1: linked to Redis again.</source>
        <translation>集群节点 %1：已重新连接到 Redis。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster node %1: linked to Redis.</source>
        <translation>集群节点 %1：已连接到 Redis。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cluster node %1: the link to Redis is lost.</source>
        <translation>集群节点 %1：与 Redis 的连接已断开。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster node %1: the link to Redis is lost (%2).</source>
        <translation>集群节点 %1：与 Redis 的连接已断开（%2）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It serves its own users only, and refuses new nicks until the link is back.</source>
        <translation>在连接恢复之前，它只服务自己的用户，并拒绝新的昵称。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Redis: linking…</source>
        <translation>Redis：正在连接…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Redis link lost on %1: local users only</source>
        <translation>%1 与 Redis 的连接已断开：仅服务本地用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redis link lost on %1 (%2): local users only</source>
        <translation>%1 与 Redis 的连接已断开（%2）：仅服务本地用户</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Redis linked again on %1</source>
        <translation>%1 已重新连接到 Redis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redis linked on %1</source>
        <translation>%1 已连接到 Redis</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Redis password wrong or missing</source>
        <translation>Redis 密码错误或缺失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redis does not answer</source>
        <translation>Redis 无响应</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dropped by Redis: output buffer full</source>
        <translation>被 Redis 断开：输出缓冲区已满</translation>
    </message>
    <message>
        <location line="-302"/>
        <source>client %1 connected from %2, served by %3</source>
        <translation>客户端 %1 从 %2 连入，由 %3 负责处理</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>client %1 registered as %2</source>
        <translation>客户端 %1 已注册为 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>client %1 (%2) disconnected: %3</source>
        <translation>客户端 %1（%2）已断开：%3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Message received from client: %1</source>
        <translation>收到客户端发来的消息: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>chat pane</source>
        <translation>聊天面板</translation>
    </message>
    <message>
        <location line="-79"/>
        <location line="+111"/>
        <location line="+15"/>
        <location line="+5"/>
        <location line="+41"/>
        <location line="+57"/>
        <source>main</source>
        <translation>主线程</translation>
    </message>
    <message>
        <location line="-228"/>
        <source>Thread(s) %1 did not end in time; they are left to end by themselves.</source>
        <translation>线程 %1 未能按时结束，将任其自行结束。</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>Listening on %1 port %2 with %3 threading</source>
        <translation>正在 %1 的 %2 端口上监听，线程模型：%3</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Server stopping</source>
        <translation>服务器正在停止</translation>
    </message>
    <message numerus="yes">
        <location line="+107"/>
        <location line="+12"/>
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n 个客户端</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-11"/>
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Listening on %1:%2 · %3 · %4 · %5 messages/s</source>
        <translation>正在监听 %1:%2 · %3 · %4 · 每秒 %5 条消息</translation>
    </message>
    <message>
        <location line="-318"/>
        <source>Load</source>
        <translation>负载</translation>
    </message>
</context>
<context>
    <name>App::NetworkListDialog</name>
    <message>
        <location filename="../app/networklistdialog.cpp" line="+112"/>
        <source>Networks</source>
        <translation>网络列表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;ickname:</source>
        <translation>昵称(&amp;I)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Channels:</source>
        <translation>频道(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acco&amp;unt:</source>
        <translation>账户(&amp;U)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account pass&amp;word:</source>
        <translation>账户密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged in to (SASL) when connecting; empty: none.</source>
        <translation>连接时登录的账户（SASL）；留空则不登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use &amp;TLS</source>
        <translation>使用 &amp;TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect when QtChat &amp;starts</source>
        <translation>QtChat 启动时连接(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>#lobby #help</source>
        <translation>#lobby #help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Joined after connecting; separate them with spaces.</source>
        <translation>连接后加入；用空格分隔。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;onnect</source>
        <translation>连接(&amp;O)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>New network</source>
        <translation>新网络</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Not saved yet: %1</source>
        <translation>尚未保存：%1</translation>
    </message>
</context>
<context>
    <name>App::NotificationPolicy</name>
    <message>
        <location filename="../app/notificationpolicy.cpp" line="+29"/>
        <source>%1 wrote to you</source>
        <translation>%1 给你发了私信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 mentioned you in %2</source>
        <translation>%1 在 %2 中提到了你</translation>
    </message>
</context>
<context>
    <name>App::ProcessServer</name>
    <message>
        <location filename="../app/processserver.cpp" line="+105"/>
        <source>The server is already running.</source>
        <translation>服务器已在运行。</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>The server processes did not start.</source>
        <translation>服务器进程未能启动。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>supervisor</source>
        <translation>监管进程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A process did not stop cleanly.</source>
        <translation>有进程未能正常停止。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>%1 (pid %2)</source>
        <translation>%1（PID %2）</translation>
    </message>
</context>
<context>
    <name>App::ServerPanel</name>
    <message>
        <location filename="../app/serverpanel.cpp" line="+102"/>
        <source>&apos;%1&apos; is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
        <translation>“%1”不是 IP 地址。只允许本机连接请用 127.0.0.1，允许所有网络连接请用 0.0.0.0。</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Threading:</source>
        <translation>线程模型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers:</source>
        <translation>工作线程：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processes:</source>
        <translation>进程数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thread per connection</source>
        <translation>每个连接一个线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worker pool</source>
        <translation>工作线程池</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Single thread</source>
        <translation>单线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processes</source>
        <translation>多进程</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Per connection: one QThread per client, as in the tutorial. Pool: a few long-lived threads share the clients. Single: one thread serves everyone. Processes: several server processes share the port and form one network through Redis, each serving its share of the clients with its own threads.</source>
        <translation>每个连接一个线程：每个客户端一个 QThread，与教程中的做法相同。线程池：几个长期存在的线程分担所有客户端。单线程：一个线程服务所有人。多进程：多个服务器进程共享同一端口，并通过 Redis 组成同一个网络，每个进程用自己的线程服务分到的客户端。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>How many server processes share the port. Without a cluster in Settings, a private redis-server joins them.</source>
        <translation>共享该端口的服务器进程数。若设置中未指定集群，则由一个私有的 redis-server 将它们连接起来。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stopped. Choose a threading model and press Start.</source>
        <translation>已停止。请选择线程模型，然后点击“启动”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopping: every client gets the lines already sent, then the threads end.</source>
        <translation>正在停止：每个客户端先收到已发送的消息，然后各线程结束。</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Start</source>
        <translation>启动</translation>
    </message>
</context>
<context>
    <name>App::SettingsDialog</name>
    <message>
        <location filename="../app/settingsdialog.cpp" line="+248"/>
        <source>Choose a PEM file</source>
        <translation>选择 PEM 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+179"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="-397"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limits and TLS</source>
        <translation>限制与 TLS</translation>
    </message>
    <message>
        <location line="+432"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
</context>
<context>
    <name>App::SettingsSchema</name>
    <message>
        <location filename="../app/settingsschema.cpp" line="+122"/>
        <source>One thread per connection</source>
        <translation>每个连接一个线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thread pool</source>
        <translation>线程池</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Single thread</source>
        <translation>单线程</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&quot;%1&quot; is not a valid nickname: use up to %2 letters, digits or -[]\`_^{|} characters, not starting with a digit or &apos;-&apos;.</source>
        <translation>“%1”不是有效的昵称：最多 %2 个字符，只能使用字母、数字或 -[]\`_^{|}，且不能以数字或“-”开头。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is not a valid channel name: it starts with # and has no spaces, commas or colons.</source>
        <translation>“%1”不是有效的频道名：频道名以 # 开头，且不能包含空格、逗号或冒号。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&quot;%1&quot; is not a valid account name: it has no spaces, commas or colons.</source>
        <translation>“%1”不是有效的账户名：不能包含空格、逗号或冒号。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Nickname:</source>
        <translation>昵称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name in the chat pane; others see it next to your messages.</source>
        <translation>你在聊天面板中的名字；别人会在你的消息旁看到它。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Listen on &amp;address:</source>
        <translation>监听地址(&amp;A)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>127.0.0.1 accepts connections from this computer only; 0.0.0.0 from every network this computer is on.</source>
        <translation>127.0.0.1 只接受本机的连接；0.0.0.0 接受本机所在的所有网络的连接。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The TCP port clients connect to; on the command line, 0 takes any free one.</source>
        <translation>客户端连接的 TCP 端口；在命令行中，0 表示任选一个空闲端口。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Threading model:</source>
        <translation>线程模型(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the server spreads its clients over threads: one thread per connection, as in the tutorial; a pool of a few long-lived threads; or a single thread for everyone.</source>
        <translation>服务器如何把客户端分配到各个线程：每个连接一个线程（与教程中的做法相同）；由几个长期存在的线程组成的线程池；或者由一个线程服务所有人。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Worker threads:</source>
        <translation>工作线程数(&amp;W)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The thread pool&apos;s size; 0: one per core. The other models decide for themselves.</source>
        <translation>线程池的大小；0：每个 CPU 核心一个。其他模型自行决定线程数。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+132"/>
        <location line="+14"/>
        <location line="+12"/>
        <location line="+142"/>
        <location line="+100"/>
        <source>count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="-398"/>
        <source>Automatic (one per core)</source>
        <translation>自动（每个 CPU 核心一个）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server &amp;name:</source>
        <translation>服务器名称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The name the server gives itself in every reply; one word without &apos;:&apos;.</source>
        <translation>服务器在每条回复中使用的自身名称；一个不含“:”的单词。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+375"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-370"/>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clients must send this password (PASS) to connect. Leave it empty for an open server.</source>
        <translation>客户端必须发送此密码（PASS）才能连接。留空则任何人都可以连接。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language of the window; System follows the desktop&apos;s.</source>
        <translation>窗口使用的语言；“跟随系统”表示与桌面的语言一致。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Log &amp;keeps at most:</source>
        <translation>日志最多保留(&amp;K)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The log drops its oldest lines beyond this many, so that a busy server does not fill the memory with them.</source>
        <translation>日志超过这么多行时会丢弃最早的行，以免繁忙的服务器让日志占满内存。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+143"/>
        <source> lines</source>
        <translation> 行</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>&amp;Join at start:</source>
        <translation>启动时加入(&amp;J)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The channel the chat pane joins when it connects.</source>
        <translation>聊天面板连接后加入的频道。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A&amp;ccount:</source>
        <translation>账户(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account the chat pane logs in to (SASL) when it connects; empty: none.</source>
        <translation>聊天面板连接时登录的账户（SASL）；留空则不登录。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Account pass&amp;word:</source>
        <translation>账户密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password of the account. It is kept in the settings file, readable by you only.</source>
        <translation>账户的密码。保存在设置文件中，只有你本人可以读取。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Notifications:</source>
        <translation>通知：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A desktop notification when someone says your nickname or writes to you privately while the window is in the background.</source>
        <translation>窗口在后台时，有人提到你的昵称或给你发私信，就显示桌面通知。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>N&amp;otify me of mentions and private messages</source>
        <translation>有人提到我或给我发私信时通知我(&amp;O)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Muted channels:</source>
        <translation>不通知的频道(&amp;M)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Busy channels that never notify, separated by spaces; a channel tab&apos;s menu mutes or unmutes it too.</source>
        <translation>从不通知的繁忙频道，用空格分隔；也可以在频道标签的菜单中设置或取消。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Max. &amp;clients:</source>
        <translation>客户端上限(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caps the clients connected at once, so that a runaway script cannot use up the server&apos;s memory and file handles; 0 means no cap beyond the open-file limit.</source>
        <translation>限制同时连接的客户端数量，以免失控的脚本耗尽服务器的内存和文件句柄；0 表示除打开文件数上限外不再限制。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+13"/>
        <location line="+12"/>
        <location line="+15"/>
        <source>No cap</source>
        <translation>不限制</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Clients per &amp;IP address:</source>
        <translation>每个 IP 地址的客户端数(&amp;I)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stops one computer from taking every connection; keep it high enough for a classroom or an office that shares one router. 0 means no cap.</source>
        <translation>防止一台计算机占满所有连接；请设得足够大，让共用一台路由器的整间教室或办公室都能连上。0 表示不限制。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>C&amp;hannels per client:</source>
        <translation>每个客户端的频道数(&amp;H)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stops one client from filling the server with channels; 0 means no cap.</source>
        <translation>防止单个客户端让服务器塞满频道；0 表示不限制。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Send queue per client:</source>
        <translation>每个客户端的发送队列(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much unsent output a client that stops reading may pile up before it is disconnected (SendQ exceeded), so that one stalled client cannot eat the memory; 0 means no cap.</source>
        <translation>客户端停止读取后，为它积压的未发送输出达到多少就断开它（SendQ exceeded），以免一个卡住的客户端吃光内存；0 表示不限制。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Flood &amp;burst:</source>
        <translation>泛洪突发量(&amp;B)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many lines a client may send in one go before flood control slows it down; large enough for what a client sends when it connects.</source>
        <translation>泛洪控制限速之前，客户端一次可以连续发送的行数；足以容纳客户端连接时发送的那一批命令。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+13"/>
        <location line="+144"/>
        <location line="+11"/>
        <source>lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>Flood &amp;rate:</source>
        <translation>泛洪速率(&amp;R)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lines per second a client may keep up after its burst, so that no one can drown a channel in messages; more is disconnected (Excess Flood). 0 turns flood control off.</source>
        <translation>突发之后客户端每秒可以持续发送的行数，以免有人用消息刷屏淹没频道；持续超出会被断开（Excess Flood）。0 表示关闭泛洪控制。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> lines/s</source>
        <translation> 行/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No flood control</source>
        <translation>不做泛洪控制</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Re&amp;gistration timeout:</source>
        <translation>注册超时(&amp;G)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closes connections that never finish signing in, so that idle or half-open sockets do not pile up; 0: no timeout.</source>
        <translation>关闭迟迟不完成登录的连接，以免空闲或半开的套接字越积越多；0：不限时。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+14"/>
        <location line="+14"/>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+14"/>
        <location line="+14"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>No timeout</source>
        <translation>不限时</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>P&amp;ing interval:</source>
        <translation>PING 间隔(&amp;I)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After this much silence the server sends a PING, to find clients whose connection died without a word; 0: never.</source>
        <translation>客户端沉默这么久之后服务器发送 PING，以发现那些连接已悄无声息断开的客户端；0：从不发送。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ping time&amp;out:</source>
        <translation>PING 超时(&amp;O)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long a client has to answer a PING before it counts as gone; generous enough for a laptop waking from sleep.</source>
        <translation>客户端必须在这段时间内回应 PING，否则视为已断开；留足了时间，从睡眠中唤醒的笔记本电脑也来得及回应。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Load tests:</source>
        <translation>负载测试：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For benchmarks and load tests only: with thousands of simulated clients on one machine, flood control and the caps would stop the test itself; line, buffer and send-queue limits and timeouts stay.</source>
        <translation>仅用于基准测试和负载测试：一台机器上有成千上万个模拟客户端时，泛洪控制和各项上限会妨碍测试本身；行长、缓冲区和发送队列的限制以及各项超时仍然有效。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Lift flood control and the client and channel caps</source>
        <translation>解除泛洪控制以及客户端数和频道数上限(&amp;L)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Certi&amp;ficate file:</source>
        <translation>证书文件(&amp;F)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s certificate (chain, PEM): with it and its key, every client must connect over TLS, so that no one else on the network can read the chat.</source>
        <translation>服务器的证书（链，PEM）：配好证书和私钥后，每个客户端都必须通过 TLS 连接，网络中的其他人就无法读取聊天内容。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Pri&amp;vate key file:</source>
        <translation>私钥文件(&amp;V)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate&apos;s private key (PEM, not password-protected); keep the file readable by you only.</source>
        <translation>证书对应的私钥（PEM，不能设密码）；请确保该文件只有你自己可以读取。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A server operator, as NAME:HASH, who may then use OPER, KILL and WALLOPS and moderate every channel; HASH is what qtchat --hash-password prints. Repeat the option for more operators.</source>
        <translation>一个服务器管理员，写作 名称:哈希值，之后可以使用 OPER、KILL 和 WALLOPS 并管理每个频道；哈希值由 qtchat --hash-password 打印。要添加更多管理员，请重复此选项。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>name:hash</source>
        <translation>名称:哈希值</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How many nicks given up (by quitting or changing nick) WHOWAS remembers; the oldest are forgotten first.</source>
        <translation>WHOWAS 记住多少个已放弃的昵称（因退出或改名）；最旧的最先被遗忘。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The folder where the server keeps its data, such as the chat history&apos;s SQLite file; empty: the system&apos;s folder for application data.</source>
        <translation>服务器存放数据（例如聊天记录的 SQLite 文件）的文件夹；留空：使用系统的应用数据文件夹。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where the chat history is kept: a postgresql://user@host/database URL, so that several servers can share it, or an SQLite file; empty: history.sqlite in the data folder.</source>
        <translation>聊天记录的存放位置：postgresql://user@host/database 形式的 URL（多台服务器可共用），或一个 SQLite 文件；留空：数据文件夹中的 history.sqlite。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+53"/>
        <source>url</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Chat history older than this many days is deleted; 0 keeps it whatever its age.</source>
        <translation>超过此天数的聊天记录将被删除；0 表示不论多旧都保留。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>days</source>
        <translation>天数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How many lines of history each channel and each private conversation keeps, the oldest deleted first; 0 means no cap.</source>
        <translation>每个频道和每个私聊会话保留的聊天记录行数，最旧的先删除；0 表示不设上限。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>How many of a channel&apos;s latest lines a client that joins it is sent, for clients that cannot ask for history themselves; 0: none.</source>
        <translation>客户端加入频道时发送给它的最近消息行数，供无法自行请求历史记录的客户端使用；0：不发送。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Keep no chat history: nothing is written to disk, and clients cannot ask for earlier messages.</source>
        <translation>不保留聊天记录：不写入磁盘，客户端也无法请求以前的消息。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Cluster:</source>
        <translation>集群(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Redis that several servers share to be one IRC network, as redis://host:port or redis://host:port/database, with redis://:password@host:port when Redis asks for a password (redis://user:password@host:port for a Redis user); empty: this server stands alone.</source>
        <translation>多个服务器为组成同一个 IRC 网络而共用的 Redis，格式为 redis://主机:端口 或 redis://主机:端口/数据库；Redis 要求密码时写作 redis://:密码@主机:端口（Redis 用户则为 redis://用户:密码@主机:端口）；留空：本服务器独立运行。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No&amp;de name:</source>
        <translation>节点名称(&amp;D)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the other servers of the cluster name this one, also in the reason their users see when it leaves; empty: the host name and the port.</source>
        <translation>集群中其他服务器对本服务器的称呼，本服务器离开时其用户看到的原因中也会用到；留空：主机名加端口。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Server &amp;processes:</source>
        <translation>服务器进程数(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serve the port from this many server processes, started and restarted by this one and joined as one network through Redis (a private redis-server unless a cluster is given); 0: this process serves the clients itself.</source>
        <translation>由这么多个服务器进程共同服务该端口，它们由本进程启动并在退出后重启，并通过 Redis 组成同一个网络（未指定集群时使用私有的 redis-server）；0：由本进程自己服务客户端。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>None (threads in this process)</source>
        <translation>无（在本进程中用线程）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limits</source>
        <translation>限制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Use true or false.</source>
        <translation>请使用 true 或 false。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use a number from %1 to %2.</source>
        <translation>请使用 %1 到 %2 之间的数字。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use a whole number from %1 to %2.</source>
        <translation>请使用 %1 到 %2 之间的整数。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot; is not one of: %2.</source>
        <translation>“%1”不是以下值之一：%2。</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>&quot;%1&quot; is not a valid value for the setting %2.</source>
        <translation>“%1”不是设置项 %2 的有效值。</translation>
    </message>
</context>
<context>
    <name>App::ThreadsView</name>
    <message>
        <location filename="../app/threadsview.cpp" line="+136"/>
        <source>Thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Process</source>
        <translation>进程</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messages/s</source>
        <translation>消息/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deliveries/s</source>
        <translation>投递/秒</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>Deliveries/s, all processes</source>
        <translation>每秒投递次数，所有进程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deliveries/s, all threads</source>
        <translation>投递/秒（所有线程）</translation>
    </message>
    <message numerus="yes">
        <location line="+66"/>
        <source>%n process(es) · %1 clients · %2 messages/s · %3 deliveries/s</source>
        <translation>
            <numerusform>%n 个进程 · %1 个客户端 · 每秒 %2 条消息 · 每秒 %3 次投递</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n thread(s) · %1 clients · %2 messages/s · %3 deliveries/s</source>
        <translation>
            <numerusform>%n 个线程 · %1 个客户端 · 每秒 %2 条消息 · 每秒 %3 次投递</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::ThroughputChart</name>
    <message>
        <location filename="../app/throughputchart.cpp" line="+81"/>
        <source>%1M</source>
        <translation>%1M</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1k</source>
        <translation>%1k</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Throughput over the last %1</source>
        <translation>最近 %1 的吞吐量</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>−%1</source>
        <translation>−%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No samples yet</source>
        <translation>尚无采样数据</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>now: %1</source>
        <translation>当前：%1</translation>
    </message>
</context>
<context>
    <name>App::TrayIcon</name>
    <message>
        <location filename="../app/trayicon.cpp" line="+65"/>
        <source>QtChat: %1 unread</source>
        <translation>QtChat：%1 条未读</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>QtChat</source>
        <translation>QtChat</translation>
    </message>
</context>
<context>
    <name>App::WhoisText</name>
    <message>
        <location filename="../app/whoistext.cpp" line="+19"/>
        <source>%1 is %2</source>
        <translation>%1 是 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is %2 (%3)</source>
        <translation>%1 是 %2（%3）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Idle: %1</source>
        <translation>空闲：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Idle: %1, signed on %2</source>
        <translation>空闲：%1，登录于 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server: %1 (%2)</source>
        <translation>服务器：%1（%2）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: no such nick.</source>
        <translation>%1：没有这个昵称。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Channels: %1</source>
        <translation>频道：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Away: %1</source>
        <translation>离开：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Is an IRC operator.</source>
        <translation>是 IRC 管理员。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logged in as %1.</source>
        <translation>已登录为账户 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 分钟 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>Client::ChannelListModel</name>
    <message>
        <location filename="../clientlib/channellistmodel.cpp" line="+69"/>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Users</source>
        <translation>用户数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
</context>
<context>
    <name>Client::ChannelSettings</name>
    <message>
        <location filename="../clientlib/channelsettings.cpp" line="+81"/>
        <source>A channel key cannot contain spaces or commas, nor start with a colon.</source>
        <translation>频道密钥不能包含空格或逗号，也不能以冒号开头。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The channel key is too long.</source>
        <translation>频道密钥太长。</translation>
    </message>
</context>
<context>
    <name>Client::ChatClient</name>
    <message numerus="yes">
        <location filename="../clientlib/chatclient.cpp" line="+236"/>
        <source>Reconnecting in %n second(s)...</source>
        <translation>
            <numerusform>%n 秒后重新连接……</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Client::ClientConnection</name>
    <message>
        <location filename="../clientlib/clientconnection.cpp" line="+166"/>
        <source>Connection to %1:%2 failed: %3</source>
        <translation>连接 %1:%2 失败：%3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The server sent data without line breaks; disconnecting.</source>
        <translation>服务器发来的数据没有换行符，正在断开连接。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server did not complete the connection in time.</source>
        <translation>服务器未能及时完成连接。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The server stopped responding.</source>
        <translation>服务器已停止响应。</translation>
    </message>
</context>
<context>
    <name>Client::ClientSession</name>
    <message>
        <location filename="../clientlib/clientsession.cpp" line="+194"/>
        <location line="+14"/>
        <location line="+48"/>
        <location line="+6"/>
        <location line="+45"/>
        <location line="+11"/>
        <source>channel name</source>
        <translation>频道名</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>channel key</source>
        <translation>频道密钥</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>message target</source>
        <translation>消息目标</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not connected: the message to %1 was not sent.</source>
        <translation>未连接：发给 %1 的消息没有发送。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+44"/>
        <source>nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>The server does not let us change the real name.</source>
        <translation>服务器不允许更改真实姓名。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>channel mask</source>
        <translation>频道掩码</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>mode parameter</source>
        <translation>模式参数</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Not connected: the nickname was not registered.</source>
        <translation>未连接：昵称未注册。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This server does not offer account registration.</source>
        <translation>此服务器不提供账户注册。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Already logged in as %1.</source>
        <translation>已经登录账户 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password must not be empty or contain a line break.</source>
        <translation>密码不能为空，也不能包含换行。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Not connected: the command was not sent.</source>
        <translation>未连接：命令没有发送。</translation>
    </message>
    <message>
        <location line="+147"/>
        <source>The server refused the nickname &quot;%1&quot;.</source>
        <translation>服务器拒绝了昵称“%1”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server password is wrong.</source>
        <translation>服务器密码错误。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The server closed the connection: %1</source>
        <translation>服务器关闭了连接：%1</translation>
    </message>
    <message>
        <location line="+213"/>
        <source>The server does not take SASL PLAIN: not logged in as %1.</source>
        <translation>服务器不接受 SASL PLAIN：未登录账户 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server does not offer SASL: not logged in as %1.</source>
        <translation>服务器不提供 SASL：未登录账户 %1。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The login as %1 was aborted: %2</source>
        <translation>登录账户 %1 被中止：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The login as %1 failed: %2</source>
        <translation>登录账户 %1 失败：%2</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The account %1 must be verified before it can be used: %2</source>
        <translation>账户 %1 需要验证后才能使用：%2</translation>
    </message>
    <message>
        <location line="+402"/>
        <source>No free nickname found after %1 attempts.</source>
        <translation>尝试 %1 次后仍未找到可用的昵称。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Not connected: the %1 request was not sent.</source>
        <translation>未连接：%1 请求未发送。</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Invalid %1: &quot;%2&quot;</source>
        <translation>无效的%1：“%2”</translation>
    </message>
</context>
<context>
    <name>Client::NetworkList</name>
    <message>
        <location filename="../clientlib/savednetwork.cpp" line="+83"/>
        <source>The network list cannot be read: %1</source>
        <translation>无法读取网络列表：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Network “%1” left out: %2</source>
        <translation>已略过网络“%1”：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>It has no name.</source>
        <translation>它没有名称。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It has no server address.</source>
        <translation>它没有服务器地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its port is not between 1 and 65535.</source>
        <translation>它的端口不在 1 到 65535 之间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is not a valid nickname.</source>
        <translation>“%1”不是有效的昵称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“%1” is not a channel name.</source>
        <translation>“%1”不是频道名称。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” is not a valid account name.</source>
        <translation>“%1”不是有效的账户名。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The account&apos;s password has a line break.</source>
        <translation>账户密码包含换行。</translation>
    </message>
</context>
<context>
    <name>Server::ChatServer</name>
    <message>
        <location filename="../serverlib/chatserver.cpp" line="+132"/>
        <source>The server is already running.</source>
        <translation>服务器已在运行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server is still stopping.</source>
        <translation>服务器仍在停止中。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>无法在 %1 的 %2 端口上监听：%3</translation>
    </message>
</context>
<context>
    <name>Server::ClusterConfig</name>
    <message>
        <location filename="../serverlib/serverconfig.cpp" line="+241"/>
        <source>The cluster must be a redis://HOST:PORT[/DB] URL (%1).</source>
        <translation>集群必须是 redis://主机:端口[/数据库] 形式的 URL（%1）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node name must be at most %1 letters, digits or . - _ : characters.</source>
        <translation>节点名称最多只能有 %1 个字母、数字或 . - _ : 字符。</translation>
    </message>
</context>
<context>
    <name>Server::DirectTransport</name>
    <message>
        <location filename="../serverlib/directtransport.cpp" line="+81"/>
        <location line="+182"/>
        <source>Remote host closed the connection</source>
        <translation>对方关闭了连接</translation>
    </message>
</context>
<context>
    <name>Server::HistoryConfig</name>
    <message>
        <location filename="../serverlib/serverconfig.cpp" line="-36"/>
        <source>The history database must be an SQLite file or a postgresql://[user[:password]@][host][:port]/database URL.</source>
        <translation>聊天记录数据库必须是一个 SQLite 文件，或 postgresql://[user[:password]@][host][:port]/database 形式的 URL。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>History may be kept between %1 (no age limit) and %2 days.</source>
        <translation>聊天记录的保留天数必须在 %1（不限时长）到 %2 之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>History may keep between %1 (no cap) and %2 lines per channel.</source>
        <translation>每个频道保留的聊天记录行数必须在 %1（不设上限）到 %2 之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A join may replay between %1 and %2 lines of history.</source>
        <translation>加入频道时重放的聊天记录行数必须在 %1 到 %2 之间。</translation>
    </message>
</context>
<context>
    <name>Server::ServerConfig</name>
    <message>
        <location line="+32"/>
        <source>The bind address is not a valid IP address.</source>
        <translation>监听地址不是有效的 IP 地址。</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>The send queue must hold between %1 and %2 bytes (or 0 for no limit).</source>
        <translation>发送队列必须能容纳 %1 到 %2 字节（0 表示不限制）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Timeouts must be between %1 and %2 seconds (0 turns one off).</source>
        <translation>超时时间必须在 %1 到 %2 秒之间（0 表示关闭该项超时）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The flood burst must be between %1 and %2 lines.</source>
        <translation>泛洪控制的突发量必须在 %1 到 %2 行之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The flood rate must be between %1 and %2 lines per second (0 turns flood control off).</source>
        <translation>泛洪控制的速率必须在每秒 %1 到 %2 行之间（0 表示关闭泛洪控制）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Client and channel caps must be between %1 and %2 (0 means no cap).</source>
        <translation>客户端数和频道数的上限必须在 %1 到 %2 之间（0 表示不限制）。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>An operator needs a name of 1 to %1 characters without spaces or &apos;:&apos;, written NAME:HASH.</source>
        <translation>管理员需要一个 1 到 %1 个字符、不含空格和“:”的名称，写作 名称:哈希值。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The operator %1 needs an Argon2id password hash ($argon2id$...), as qtchat --hash-password prints it; never the password itself.</source>
        <translation>管理员 %1 需要一个 Argon2id 密码哈希值（$argon2id$...），即 qtchat --hash-password 打印的内容；绝不能是密码本身。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>The worker count must be between %1 (automatic) and %2.</source>
        <translation>工作线程数必须在 %1（自动）到 %2 之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server name must be a single word without &apos;:&apos;.</source>
        <translation>服务器名称必须是一个不含“:”的单词。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password must not contain spaces or line breaks.</source>
        <translation>密码不能包含空格或换行符。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>WHOWAS may remember between %1 and %2 nicks.</source>
        <translation>WHOWAS 可记住的昵称数必须在 %1 到 %2 之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The number of server processes must be between %1 (this process serves) and %2.</source>
        <translation>服务器进程数必须在 %1（由本进程服务）到 %2 之间。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>TLS needs both a certificate file and a key file.</source>
        <translation>TLS 需要同时提供证书文件和私钥文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Several server processes need a port to share, not 0.</source>
        <translation>多个服务器进程需要一个共享的端口，不能为 0。</translation>
    </message>
    <message>
        <location line="-146"/>
        <source>A ping interval needs a ping timeout.</source>
        <translation>设置了 PING 间隔就必须设置 PING 超时。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Flood control needs a burst of at least one line.</source>
        <translation>泛洪控制要求突发量至少为一行。</translation>
    </message>
</context>
<context>
    <name>Server::ServerController</name>
    <message>
        <location filename="../serverlib/servercontroller.cpp" line="+98"/>
        <source>The server is already running.</source>
        <translation>服务器已在运行。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The history database is not usable: %1</source>
        <translation>聊天记录数据库不可用：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>无法为聊天记录数据库创建文件夹 %1。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot open the history database %1: %2</source>
        <translation>无法打开聊天记录数据库 %1：%2</translation>
    </message>
</context>
<context>
    <name>Server::Session</name>
    <message>
        <location filename="../serverlib/session.cpp" line="+141"/>
        <source>Connection closed</source>
        <translation>连接已关闭</translation>
    </message>
</context>
<context>
    <name>Server::TlsConfig</name>
    <message>
        <location filename="../serverlib/tlsconfig.cpp" line="+17"/>
        <source>Cannot read &apos;%1&apos;: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>TLS is not available: Qt found no TLS backend (is OpenSSL 3 installed?).</source>
        <translation>TLS 不可用：Qt 没有找到 TLS 后端（是否安装了 OpenSSL 3？）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&apos;%1&apos; holds no PEM certificate.</source>
        <translation>“%1”中没有 PEM 证书。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; holds no unencrypted PEM private key (RSA, EC or DSA).</source>
        <translation>“%1”中没有未加密的 PEM 私钥（RSA、EC 或 DSA）。</translation>
    </message>
</context>
</TS>
