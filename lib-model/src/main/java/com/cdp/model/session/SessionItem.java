package com.cdp.model.session;

import com.cdp.model.table.Tables;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** The stored form of a {@link Session} (mapped with a static schema, no reflection). */
final class SessionItem {
  static final StaticTableSchema<SessionItem> SCHEMA =
      StaticTableSchema.builder(SessionItem.class)
          .newItemSupplier(SessionItem::new)
          .addAttribute(
              String.class,
              a ->
                  a.name(Tables.PK)
                      .getter(SessionItem::getId)
                      .setter(SessionItem::setId)
                      .tags(StaticAttributeTags.primaryPartitionKey()))
          .addAttribute(
              String.class,
              a ->
                  a.name("organizationId")
                      .getter(SessionItem::getOrganizationId)
                      .setter(SessionItem::setOrganizationId))
          .addAttribute(
              String.class,
              a ->
                  a.name("memberId")
                      .getter(SessionItem::getMemberId)
                      .setter(SessionItem::setMemberId))
          .addAttribute(
              Long.class,
              a ->
                  a.name("createdAt")
                      .getter(SessionItem::getCreatedAt)
                      .setter(SessionItem::setCreatedAt))
          .addAttribute(
              Long.class,
              a ->
                  a.name("expiresAt")
                      .getter(SessionItem::getExpiresAt)
                      .setter(SessionItem::setExpiresAt))
          .addAttribute(
              Long.class,
              a -> a.name(Tables.TTL).getter(SessionItem::getTtl).setter(SessionItem::setTtl))
          .build();

  private String id;
  private String organizationId;
  private String memberId;
  private Long createdAt;
  private Long expiresAt;
  private Long ttl;

  String getId() {
    return id;
  }

  void setId(String id) {
    this.id = id;
  }

  String getOrganizationId() {
    return organizationId;
  }

  void setOrganizationId(String organizationId) {
    this.organizationId = organizationId;
  }

  String getMemberId() {
    return memberId;
  }

  void setMemberId(String memberId) {
    this.memberId = memberId;
  }

  Long getCreatedAt() {
    return createdAt;
  }

  void setCreatedAt(Long createdAt) {
    this.createdAt = createdAt;
  }

  Long getExpiresAt() {
    return expiresAt;
  }

  void setExpiresAt(Long expiresAt) {
    this.expiresAt = expiresAt;
  }

  Long getTtl() {
    return ttl;
  }

  void setTtl(Long ttl) {
    this.ttl = ttl;
  }
}
