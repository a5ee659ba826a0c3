package newsroom

import (
	"context"
	"time"
)

// ImportedItem records one thing an import brought in from another site:
// where it came from (Site, Kind, SourceID), what it became here (LocalID)
// and a Digest of it as imported, so that importing the same export again
// adds nothing and a later export changes only what changed since.
type ImportedItem struct {
	Site     string // the old site's address, as the export names it
	Kind     string // post, page, attachment, category, tag, author, comment
	SourceID string // the old site's id (a WordPress post id, term id, login)
	LocalID  int64
	Digest   string
	// Email is an imported author's address, kept privately: author
	// profiles carry none and nothing shows it.
	Email      string
	ImportedAt time.Time
}

// SettingHomeLead is the settings key naming, by id, the article the home
// page leads with while it is public (an imported site's sticky post).
const SettingHomeLead = "home_lead_article"

// ImportLedger keeps what imports brought in.
type ImportLedger interface {
	// ImportedItem returns the record for the item, or NotFound.
	ImportedItem(ctx context.Context, site, kind, sourceID string) (*ImportedItem, error)
	// ImportedItems returns every record of a kind from a site, by SourceID.
	ImportedItems(ctx context.Context, site, kind string) (map[string]ImportedItem, error)
	// RecordImport stores the record, replacing one with the same site,
	// kind and source id; ImportedAt is set by the store.
	RecordImport(ctx context.Context, it *ImportedItem) error
	// ImportedItemsOf returns the records of a kind from a site whose
	// source ids are among ids, by SourceID (one post's comments).
	ImportedItemsOf(ctx context.Context, site, kind string, ids []string) (map[string]ImportedItem, error)
	// ImportComment stores a comment as it was on the old site: its
	// CreatedAt is kept (UpdatedAt and StatusAt are set to it), and the
	// article's comment count follows as for CreateComment. An unknown
	// article is NotFound; an unknown parent Invalid on parent_id.
	ImportComment(ctx context.Context, c *Comment) error
	// ImportBatch stores what one imported post brings in one
	// transaction: its new comments (each as ImportComment would, in
	// order, with its ledger record) and further ledger records. Nothing
	// is stored if any part fails.
	ImportBatch(ctx context.Context, b *ImportBatch) error
}

// ImportBatch is one post's share of an import, written at once.
type ImportBatch struct {
	Site     string
	Records  []ImportedItem
	Comments []CommentImport
}

// CommentImport is a new comment of an ImportBatch. Parent, when not 0,
// is the 1-based position in the batch of the comment it replies to (an
// earlier one), whose id becomes Comment.ParentID; the ledger records
// Comment.ID under Kind "comment", SourceID and Digest.
type CommentImport struct {
	Comment  *Comment
	Parent   int
	SourceID string
	Digest   string
}
