// Tests assert on outcomes, not log lines: keep the output readable unless LOG_LEVEL asks for more.
process.env.LOG_LEVEL ??= "error";
