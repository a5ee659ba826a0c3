package newsroom

// Check returns nil for a known status and otherwise an Invalid error on
// "status".
func (s ReportStatus) Check() error {
	if !s.Valid() {
		return Errorf(Invalid, "status", "status must be open, fixed, fixed_by_edit, rejected or spam")
	}
	return nil
}

// CheckLocated returns an Invalid error on "exact" unless r names the part
// and place of its quote and the quoted text, as a located report does
// before it is stored.
func (r *ErrorReport) CheckLocated() error {
	if !r.Part.Valid() || r.Place == "" || r.Exact == "" {
		return Errorf(Invalid, "exact", "a report needs a located quote")
	}
	return nil
}
