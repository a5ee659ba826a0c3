package sqlstore

// SetDenseAt lets tests move the dense-section threshold; it returns a
// function that restores it.
func SetDenseAt(n int) (restore func()) {
	old := denseAt
	denseAt = n
	return func() { denseAt = old }
}
