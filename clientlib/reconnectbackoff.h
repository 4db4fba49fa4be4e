#pragma once

namespace Client {

// Exponential backoff for reconnecting: initial, 2x, 4x ... capped at a maximum, so a
// server that is down is not hammered and one that comes back is found again soon.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(int initialMs = 1000, int maxMs = 30000);

    void setLimits(int initialMs, int maxMs);
    int initialDelay() const { return m_initialMs; }
    int maximumDelay() const { return m_maxMs; }

    // The delay before the next attempt; each call doubles the following one.
    int nextDelay();
    int attempts() const { return m_attempts; }
    // After a successful registration the next drop starts again at the initial delay.
    void reset() { m_attempts = 0; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_attempts = 0;
};

} // namespace Client
