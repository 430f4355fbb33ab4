package com.cdp.logging;

/**
 * The kind of one event in a request's timeline, the seed's {@code type} field: the request a
 * service received, its response, a call it made to another service, an event it published or
 * consumed, an error, or any other step (info).
 */
public enum EventType {
  REQUEST("request"),
  RESPONSE("response"),
  CALL("call"),
  EVENT("event"),
  ERROR("error"),
  INFO("info");

  private final String id;

  EventType(String id) {
    this.id = id;
  }

  /** The value written as the event's {@code type}. */
  public String id() {
    return id;
  }
}
