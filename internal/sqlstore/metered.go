package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"
)

// QueryObserver hears the time of every database call: pool is "write"
// or "read", kind is query, exec, begin, commit or rollback, and query is
// the SQL text (never its arguments).
type QueryObserver func(pool, kind, query string, d time.Duration)

// openDB opens a pool whose connections time every call for obs (nil:
// a plain pool).
func openDB(driverName, dsn, pool string, obs QueryObserver) (*sql.DB, error) {
	db, err := sql.Open(driverName, dsn)
	if err != nil || obs == nil {
		return db, err
	}
	drv := db.Driver()
	db.Close()
	var c driver.Connector
	if dc, ok := drv.(driver.DriverContext); ok {
		if c, err = dc.OpenConnector(dsn); err != nil {
			return nil, err
		}
	} else {
		c = dsnConnector{drv, dsn}
	}
	return sql.OpenDB(&meteredConnector{Connector: c, pool: pool, obs: obs}), nil
}

type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

type meteredConnector struct {
	driver.Connector
	pool string
	obs  QueryObserver
}

func (c *meteredConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &meteredConn{Conn: conn, c: c}, nil
}

// meteredConn passes every call to the driver's connection, timing the
// ones that do work. Optional interfaces the driver lacks answer
// driver.ErrSkip, so database/sql falls back as it would without us.
type meteredConn struct {
	driver.Conn
	c *meteredConnector
}

func (m *meteredConn) observe(kind, query string, start time.Time) {
	m.c.obs(m.c.pool, kind, query, time.Since(start))
}

func (m *meteredConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := m.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = m.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &meteredStmt{Stmt: st, conn: m, query: query}, nil
}

func (m *meteredConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := m.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	defer m.observe("exec", query, time.Now())
	return e.ExecContext(ctx, query, args)
}

func (m *meteredConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := m.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	defer m.observe("query", query, time.Now())
	return q.QueryContext(ctx, query, args)
}

func (m *meteredConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	start := time.Now()
	var tx driver.Tx
	var err error
	if b, ok := m.Conn.(driver.ConnBeginTx); ok {
		tx, err = b.BeginTx(ctx, opts)
	} else {
		tx, err = m.Conn.Begin() //lint:ignore SA1019 the driver offers nothing else
	}
	m.observe("begin", "BEGIN", start)
	if err != nil {
		return nil, err
	}
	return &meteredTx{Tx: tx, conn: m}, nil
}

func (m *meteredConn) Ping(ctx context.Context) error {
	if p, ok := m.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (m *meteredConn) ResetSession(ctx context.Context) error {
	if r, ok := m.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (m *meteredConn) IsValid() bool {
	if v, ok := m.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (m *meteredConn) CheckNamedValue(nv *driver.NamedValue) error {
	if c, ok := m.Conn.(driver.NamedValueChecker); ok {
		return c.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// Raw returns the driver's own connection (for sql.Conn.Raw users).
func (m *meteredConn) Raw() driver.Conn { return m.Conn }

type meteredTx struct {
	driver.Tx
	conn *meteredConn
}

func (t *meteredTx) Commit() error {
	defer t.conn.observe("commit", "COMMIT", time.Now())
	return t.Tx.Commit()
}

func (t *meteredTx) Rollback() error {
	defer t.conn.observe("rollback", "ROLLBACK", time.Now())
	return t.Tx.Rollback()
}

type meteredStmt struct {
	driver.Stmt
	conn  *meteredConn
	query string
}

func (s *meteredStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	defer s.conn.observe("exec", s.query, time.Now())
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

func (s *meteredStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	defer s.conn.observe("query", s.query, time.Now())
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

func (s *meteredStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if c, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return c.CheckNamedValue(nv)
	}
	if c, ok := s.conn.Conn.(driver.NamedValueChecker); ok {
		return c.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
