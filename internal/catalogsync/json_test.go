package catalogsync

import (
	"errors"
	"testing"
)

// readErrors reads a file that must be rejected and returns its errors.
func readErrors(t *testing.T, data []byte) []FileError {
	t.Helper()
	_, err := Read(data, Auto)
	var me *MalformedError
	if !errors.As(err, &me) {
		t.Fatalf("Read: %v, want a MalformedError", err)
	}
	return me.Errors
}

const validJSON = `{
  "format": "onevisit-catalog",
  "version": 1,
  "materials": [{"code": "M1", "name": "申请书"}],
  "proofs": [],
  "items": [
    {
      "code": "A", "level": "main", "name": "事项", "type": "licensing", "departmentCode": "MARKET",
      "objects": ["enterprise"], "caseType": "promised",
      "statutoryLimit": 10,
      "promisedLimit": 4,
      "materials": [{"materialCode": "M1", "originals": 1, "copies": 0, "required": true, "tolerant": false, "source": "applicant"}]
    }
  ],
  "bundles": []
}`

func TestReadJSONAcceptsAValidFile(t *testing.T) {
	snap, err := Read([]byte(validJSON), JSON)
	if err != nil || len(snap.Items) != 1 || snap.Items[0].PromisedLimit != 4 {
		t.Fatalf("Read = %+v, %v", snap, err)
	}
}

func TestReadJSONPlacesErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           FileError // Line, Field and Key are compared
	}{
		{"unknown field", `"promisedLimit": 4,`, `"promisedLimit": 4, "promisedDays": 2,`,
			FileError{Line: 11, Field: "items[0].promisedDays", Key: "err.catalogsync.unknown_field"}},
		{"field of the wrong case", `"caseType"`, `"CaseType"`,
			FileError{Line: 9, Field: "items[0].CaseType", Key: "err.catalogsync.unknown_field"}},
		{"syntax", `"statutoryLimit": 10,`, `"statutoryLimit": 10,,`,
			FileError{Line: 10, Key: "err.catalogsync.json_syntax"}},
		{"wrong type", `"statutoryLimit": 10`, `"statutoryLimit": 2.5`,
			FileError{Line: 10, Field: "items[0].statutoryLimit", Key: "err.catalogsync.json_type"}},
		{"promised over statutory", `"promisedLimit": 4`, `"promisedLimit": 40`,
			FileError{Line: 11, Field: "items[0].promisedLimit", Key: "err.catalog.promised_over_statutory"}},
		{"material not in the library", `"materialCode": "M1"`, `"materialCode": "M9"`,
			FileError{Line: 12, Field: "items[0].materials[0].materialCode", Key: "err.catalog.material_missing"}},
		{"not the format", `"onevisit-catalog"`, `"other"`,
			FileError{Line: 2, Field: "format", Key: "err.catalogsync.format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := readErrors(t, []byte(replaceOnce(t, validJSON, tt.old, tt.new)))
			got := errs[0]
			if len(errs) != 1 || got.Line != tt.want.Line || got.Field != tt.want.Field || got.Key != tt.want.Key {
				t.Errorf("errors = %+v, want one like %+v", errs, tt.want)
			}
		})
	}
}

func TestReadJSONReportsEveryUnknownField(t *testing.T) {
	data := replaceOnce(t, validJSON, `"version": 1,`, `"version": 1, "publisher": "x",`)
	data = replaceOnce(t, data, `"name": "申请书"`, `"name": "申请书", "nameEn": "Form"`)
	if errs := readErrors(t, []byte(data)); len(errs) != 2 {
		t.Errorf("errors = %+v, want both unknown fields", errs)
	}
}

func TestReadRejectsWhatIsNeitherJSONNorXLSX(t *testing.T) {
	errs := readErrors(t, []byte("实施编码,事项名称\n"))
	if errs[0].Key != "err.catalogsync.format_unknown" {
		t.Errorf("errors = %+v", errs)
	}
}
