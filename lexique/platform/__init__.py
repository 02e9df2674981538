"""Infrastructure every layer may use: outage answers, body limits, database routing, client addresses, logs, checks."""
