#!/usr/bin/env python3
"""ircsay.py HOST PORT NICK CHANNEL LINE...: joins CHANNEL, says each LINE, quits.

A minimal outside IRC client for scripts (screenshots, demos); exit 1 if registration fails.
"""
import socket
import sys


def main() -> int:
    host, port, nick, channel, *lines = sys.argv[1:]
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n".encode())
    buffer = b""
    while b" 376 " not in buffer and b" 422 " not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            return 1
        buffer += chunk
    sock.sendall(f"JOIN {channel}\r\n".encode())
    for line in lines:
        sock.sendall(f"PRIVMSG {channel} :{line}\r\n".encode())
    sock.sendall(b"QUIT :see you\r\n")
    sock.recv(4096)
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
