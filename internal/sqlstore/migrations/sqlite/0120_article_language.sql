-- Editions (issue 17): which languages the site publishes in is one
-- indexed probe per language (PublicLanguages), and an edition's public
-- listings find their language's stories without reading the others.
CREATE INDEX articles_language_public ON articles (language, status, published_at);
