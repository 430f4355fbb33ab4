package com.cdp.realtime.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.realtime.relay.RelayService;
import com.cdp.realtime.relay.StreamPump;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProductionWiringTest {
  /** infra-cdk's Realtime.SUBSCRIBE_TIMEOUT: API Gateway's 29-second integration limit. */
  private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(29);

  @Test
  void aFrameStartedPump_endsWellBeforeTheFunctionTimeout_andHoldsItsLeaseJustPastIt() {
    RelayService.Settings relay = RelayService.Settings.defaults();

    StreamPump.Settings pump = ProductionWiring.pumpSettings(relay);

    // A pump killed at the timeout would hold the member's lease: it must end well before, and its
    // lease must not outlast the function by much (the relay's is 60 s).
    assertThat(pump.maxRun()).isLessThanOrEqualTo(FUNCTION_TIMEOUT.minusSeconds(5));
    assertThat(pump.lease()).isGreaterThan(FUNCTION_TIMEOUT).isLessThan(relay.claimLease());
    assertThat(pump.goneGrace()).isEqualTo(relay.goneGrace());
  }
}
