#pragma once

#include <QCoreApplication>

namespace App {

// `qtchat --hash-password`: reads a password from standard input — without echo, and twice to
// confirm, when that is a terminal — and prints its Argon2id hash for --oper NAME:HASH and the
// operators setting. The password itself is never written anywhere.
class HashPasswordCommand
{
    Q_DECLARE_TR_FUNCTIONS(App::HashPasswordCommand)

public:
    static int run(); // the process's exit status
};

} // namespace App
