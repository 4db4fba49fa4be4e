<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App::LogModel</name>
    <message numerus="yes">
        <location filename="../app/logmodel.cpp" line="+155"/>
        <source> … (%n more characters)</source>
        <translation>
            <numerusform> … (%n more character)</numerusform>
            <numerusform> … (%n more characters)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::LogView</name>
    <message numerus="yes">
        <location filename="../app/logview.cpp" line="+364"/>
        <source>%L1 of %Ln line(s)</source>
        <translation>
            <numerusform>%L1 of %Ln line</numerusform>
            <numerusform>%L1 of %Ln lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln line(s)</source>
        <translation>
            <numerusform>%Ln line</numerusform>
            <numerusform>%Ln lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::MainWindow</name>
    <message numerus="yes">
        <location filename="../app/mainwindow.cpp" line="+344"/>
        <source>Listening on %1 port %2 with %n server process(es)</source>
        <translation>
            <numerusform>Listening on %1 port %2 with %n server process</numerusform>
            <numerusform>Listening on %1 port %2 with %n server processes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+136"/>
        <location line="+12"/>
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-11"/>
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n thread</numerusform>
            <numerusform>%n threads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n process(es)</source>
        <translation>
            <numerusform>%n process</numerusform>
            <numerusform>%n processes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::ThreadsView</name>
    <message numerus="yes">
        <location filename="../app/threadsview.cpp" line="+326"/>
        <source>%n process(es) · %1 clients · %2 messages/s · %3 deliveries/s</source>
        <translation>
            <numerusform>%n process · %1 clients · %2 messages/s · %3 deliveries/s</numerusform>
            <numerusform>%n processes · %1 clients · %2 messages/s · %3 deliveries/s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n thread(s) · %1 clients · %2 messages/s · %3 deliveries/s</source>
        <translation>
            <numerusform>%n thread · %1 clients · %2 messages/s · %3 deliveries/s</numerusform>
            <numerusform>%n threads · %1 clients · %2 messages/s · %3 deliveries/s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>App::ThroughputChart</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation type="vanished">
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation type="vanished">
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Client::ChatClient</name>
    <message numerus="yes">
        <location filename="../clientlib/chatclient.cpp" line="+236"/>
        <source>Reconnecting in %n second(s)...</source>
        <translation>
            <numerusform>Reconnecting in %n second...</numerusform>
            <numerusform>Reconnecting in %n seconds...</numerusform>
        </translation>
    </message>
</context>
</TS>
