// Early-return helpers for Status / Result<T>.
#pragma once

#include "durable/base/result.h"

#define DURABLE_CONCAT_INNER(a, b) a##b
#define DURABLE_CONCAT(a, b) DURABLE_CONCAT_INNER(a, b)

#define DURABLE_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::durable::Status _st = (expr);                   \
    if (!_st.ok()) return _st;                        \
  } while (0)

#define DURABLE_ASSIGN_OR_RETURN(lhs, expr) \
  DURABLE_ASSIGN_OR_RETURN_IMPL(DURABLE_CONCAT(_res_, __LINE__), lhs, expr)
#define DURABLE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
