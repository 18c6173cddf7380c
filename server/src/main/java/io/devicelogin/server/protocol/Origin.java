package io.devicelogin.server.protocol;

/** Where a request came from (the client's address and user agent), for the audit trail. */
public record Origin(String ip, String userAgent) {}
