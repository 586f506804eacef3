package catalogsync

import (
	"regexp"
	"strconv"
)

// xlsxLocator places problems on the sheet row where each part of the
// catalog was read, and names the column by its header.
type xlsxLocator struct {
	items         []int   // 事项 row of each item
	itemMaterials [][]int // 事项材料 rows of each item's materials
	materials     []int   // 材料库 rows
	proofs        []int   // 证明目录 rows
	bundles       [][]int // 一件事 rows of each bundle's stages
}

// xlsxPath splits a JSON path such as items[3].materials[1].source into
// part, index, list field, list index and field.
var xlsxPath = regexp.MustCompile(`^(\w+)\[(\d+)\](?:\.(materials|stages)\[(\d+)\])?(?:\.([\w.]+))?$`)

func (l *xlsxLocator) locate(p problem) FileError {
	e := newError(p.key, p.args...)
	m := xlsxPath.FindStringSubmatch(p.path)
	if m == nil { // format, version: the 说明 sheet
		e.Sheet, e.Field = sheetAbout, map[string]string{"format": aboutFormat, "version": aboutVersion}[p.path]
		return e
	}
	i, _ := strconv.Atoi(m[2])
	j, _ := strconv.Atoi(m[4])
	list, field := m[3], m[5]
	switch {
	case m[1] == "items" && list == "materials":
		e.Sheet, e.Row, e.Field = sheetItemMaterials, at2(l.itemMaterials, i, j), fieldHeader(itemMaterialColumns, field)
	case m[1] == "items":
		e.Sheet, e.Row, e.Field = sheetItems, at(l.items, i), fieldHeader(itemColumns, field)
	case m[1] == "materials":
		e.Sheet, e.Row, e.Field = sheetMaterials, at(l.materials, i), fieldHeader(materialColumns, field)
	case m[1] == "proofs":
		e.Sheet, e.Row, e.Field = sheetProofs, at(l.proofs, i), fieldHeader(proofColumns, field)
	case m[1] == "bundles" && list == "stages":
		e.Sheet, e.Row, e.Field = sheetBundles, at2(l.bundles, i, j), fieldHeader(bundleColumns, "stage."+field)
	case m[1] == "bundles":
		e.Sheet, e.Row, e.Field = sheetBundles, at2(l.bundles, i, 0), fieldHeader(bundleColumns, field)
	}
	return e
}

func at(rows []int, i int) int {
	if i < len(rows) {
		return rows[i]
	}
	return 0
}

func at2(rows [][]int, i, j int) int {
	if i < len(rows) {
		return at(rows[i], j)
	}
	return 0
}
