package io.devicelogin.server.store;

import io.devicelogin.server.store.Jdbc.RowMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code SELECT} of a table's rows narrowed to those whose columns equal the values given, for
 * the listings of the account and admin pages. A null value does not narrow.
 */
final class Filter {
  /** The most rows a listing returns, whatever the caller asks for. */
  private static final int MOST = 1000;

  private final StringBuilder sql;
  private final List<Object> args = new ArrayList<>();

  Filter(String table) {
    this.sql = new StringBuilder("SELECT * FROM " + table + " WHERE 1 = 1");
  }

  /** Narrows to rows whose {@code column} (a name written in the code) equals {@code value}. */
  Filter equal(String column, Object value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
    return this;
  }

  /** The rows, newest by {@code column} first, at most {@code limit} (1 to 1000) of them. */
  <T> List<T> newestFirst(Jdbc jdbc, String column, int limit, RowMapper<T> mapper) {
    sql.append(" ORDER BY ")
        .append(column)
        .append(" DESC LIMIT ")
        .append(Math.max(1, Math.min(limit, MOST)));
    return jdbc.query(sql.toString(), mapper, args.toArray());
  }
}
