#ifndef DRIFTWATCH_CRDKAFKA_H
#define DRIFTWATCH_CRDKAFKA_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Produces one message with headers: a non-variadic front for rd_kafka_producev, which Swift cannot call.
/// `headers` may be NULL; on success librdkafka takes ownership of it, on failure the caller still owns it.
/// The payload and key are copied (RD_KAFKA_MSG_F_COPY). Returns the error code of rd_kafka_producev.
rd_kafka_resp_err_t driftwatch_produce(rd_kafka_t *rk,
                                       const char *topic,
                                       int32_t partition,
                                       const void *key, size_t key_len,
                                       const void *payload, size_t payload_len,
                                       rd_kafka_headers_t *headers,
                                       void *opaque);

#endif
