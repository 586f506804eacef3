package sqlstore

// AppendAudit lets the external tests append an audit entry inside their
// own write transaction.
var AppendAudit = appendAudit
