#pragma once

// The numeric replies QtChat sends or reads (RFC 1459/2812 numbering; 410 from IRCv3 CAP).
namespace Irc::Numeric {

inline constexpr char Welcome[] = "001";
inline constexpr char YourHost[] = "002";
inline constexpr char Created[] = "003";
inline constexpr char MyInfo[] = "004";
inline constexpr char ISupport[] = "005";
inline constexpr char UModeIs[] = "221";
inline constexpr char EndOfWho[] = "315";
inline constexpr char ListStart[] = "321";
inline constexpr char List[] = "322";
inline constexpr char ListEnd[] = "323";
inline constexpr char ChannelModeIs[] = "324";
inline constexpr char CreationTime[] = "329";
inline constexpr char NoTopic[] = "331";
inline constexpr char Topic[] = "332";
inline constexpr char TopicWhoTime[] = "333";
inline constexpr char WhoReply[] = "352";
inline constexpr char NamReply[] = "353";
inline constexpr char EndOfNames[] = "366";
inline constexpr char EndOfBanList[] = "368";
inline constexpr char Motd[] = "372";
inline constexpr char MotdStart[] = "375";
inline constexpr char EndOfMotd[] = "376";
inline constexpr char NoSuchNick[] = "401";
inline constexpr char NoSuchChannel[] = "403";
inline constexpr char CannotSendToChan[] = "404";
inline constexpr char TooManyChannels[] = "405";
inline constexpr char NoOrigin[] = "409";
inline constexpr char InvalidCapCommand[] = "410";
inline constexpr char NoRecipient[] = "411";
inline constexpr char NoTextToSend[] = "412";
inline constexpr char InputTooLong[] = "417";
inline constexpr char UnknownCommand[] = "421";
inline constexpr char NoMotd[] = "422";
inline constexpr char NoNicknameGiven[] = "431";
inline constexpr char ErroneousNickname[] = "432";
inline constexpr char NicknameInUse[] = "433";
inline constexpr char UnavailableResource[] = "437";
inline constexpr char NotOnChannel[] = "442";
inline constexpr char NotRegistered[] = "451";
inline constexpr char NeedMoreParams[] = "461";
inline constexpr char AlreadyRegistered[] = "462";
inline constexpr char PasswordMismatch[] = "464";
inline constexpr char ChanOpPrivsNeeded[] = "482";
inline constexpr char UModeUnknownFlag[] = "501";
inline constexpr char UsersDontMatch[] = "502";

} // namespace Irc::Numeric
