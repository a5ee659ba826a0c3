package sqlstore

// SetDenseAt lets tests move the dense-section threshold; it returns a
// function that restores it.
func SetDenseAt(n int) (restore func()) {
	old := denseAt
	denseAt = n
	return func() { denseAt = old }
}

// SetSearchBound lets tests lower how many matches a search ranks; it
// returns a function that restores it.
func SetSearchBound(n int) (restore func()) {
	old := searchBound
	searchBound = n
	return func() { searchBound = old }
}
