package com.cdp.local.platform;

/** A bare local gateway on a free port, for tests of what areas mount on it. */
public final class LocalGatewayAccess implements AutoCloseable {
  private final LocalGateway gateway = new LocalGateway(0);

  /** The gateway, not listening yet: mount servlets, then {@link #start()}. */
  public static LocalGatewayAccess create() {
    return new LocalGatewayAccess();
  }

  public LocalGateway gateway() {
    return gateway;
  }

  public LocalGatewayAccess start() {
    gateway.start();
    return this;
  }

  @Override
  public void close() throws Exception {
    gateway.close();
  }
}
