package com.cdp.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The {@code detail} records of the platform's events. Every detail has organizationId and eventId.
 */
public final class Events {
  private Events() {}

  /** Common shape of all details. */
  public interface Detail {
    String organizationId();

    String eventId();

    Topic topic();
  }

  /** Details that are about one member's account and so may be relayed to that member. */
  public interface MemberAccountDetail extends Detail {
    String memberId();

    String accountId();
  }

  public static String newEventId() {
    return UUID.randomUUID().toString();
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AccountBalanceUpdated(
      String organizationId,
      String eventId,
      String memberId,
      String accountId,
      BigDecimal balance,
      BigDecimal availableBalance,
      Instant updatedAt)
      implements MemberAccountDetail {
    @Override
    public Topic topic() {
      return Topic.ACCOUNT_BALANCE_UPDATED;
    }
  }

  public record AccountNicknameUpdated(
      String organizationId,
      String eventId,
      String memberId,
      String accountId,
      String nickname,
      Instant updatedAt)
      implements MemberAccountDetail {
    @Override
    public Topic topic() {
      return Topic.ACCOUNT_NICKNAME_UPDATED;
    }
  }

  public record AccountTransactionAdded(
      String organizationId,
      String eventId,
      String memberId,
      String accountId,
      List<String> transactionIds,
      int count)
      implements MemberAccountDetail {
    public AccountTransactionAdded {
      transactionIds = List.copyOf(transactionIds);
    }

    @Override
    public Topic topic() {
      return Topic.ACCOUNT_TRANSACTION_ADDED;
    }
  }

  public record PlatformAccountTransactionAdded(
      String organizationId, String eventId, List<AnnouncedAccount> accounts) implements Detail {
    public PlatformAccountTransactionAdded {
      accounts = List.copyOf(accounts);
    }

    @Override
    public Topic topic() {
      return Topic.PLATFORM_ACCOUNT_TRANSACTION_ADDED;
    }
  }

  /** One account in a connector's announcement; the member is optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnnouncedAccount(
      @JsonProperty("memberId") String memberId, @JsonProperty("accountId") String accountId) {}
}
