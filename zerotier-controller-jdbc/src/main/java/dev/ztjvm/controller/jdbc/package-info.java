/**
 * The controller's records in PostgreSQL ({@link dev.ztjvm.controller.jdbc.PostgresControllerStore}): several
 * controller instances with the same identity serve one set of networks, each pushing other instances' changes to the
 * members it talks to (LISTEN/NOTIFY), with compare-and-swap saves by revision and member bookkeeping written in
 * batches off the request path.
 */
@NullMarked
package dev.ztjvm.controller.jdbc;

import org.jspecify.annotations.NullMarked;
