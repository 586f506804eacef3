// Package catalog is the service catalog: items (主项 → 子项 → 办理项) with
// their versioned guides, the shared materials library, the proofs catalog
// (证明目录), bundles of items done together (一件事), the element set that
// must agree across implementing bodies (八统一), and the upstream sync.
//
// An item is edited as a draft and published as a new immutable version; a
// case pins the version it was accepted under.
package catalog

import (
	"time"
)

// Level is an item's place in the tree.
type Level string

// The levels of the item tree.
const (
	Main     Level = "main"     // 主项
	Sub      Level = "sub"      // 子项
	Handling Level = "handling" // 办理项 / 情形
)

// ItemType is the legal kind of an item (事项类型).
type ItemType string

// The item types; 行政许可 and 公共服务 are by far the most common.
const (
	Licensing     ItemType = "licensing"      // 行政许可
	PublicService ItemType = "public_service" // 公共服务
	Confirmation  ItemType = "confirmation"   // 行政确认
	Payment       ItemType = "payment"        // 行政给付
	Filing        ItemType = "filing"         // 行政备案
	Ruling        ItemType = "ruling"         // 行政裁决
	Reward        ItemType = "reward"         // 行政奖励
	Collection    ItemType = "collection"     // 行政征收
	OtherPower    ItemType = "other_power"    // 其他行政权力
)

// CaseType says whether an item is done on the spot or by a promised date.
type CaseType string

// The case types.
const (
	Immediate CaseType = "immediate" // 即办件
	Promised  CaseType = "promised"  // 承诺件
)

// Object is whom an item serves (服务对象).
type Object string

// The service objects.
const (
	ForPerson     Object = "person"     // 自然人
	ForEnterprise Object = "enterprise" // 法人
)

// Mode is a way to hand in materials or collect a result.
type Mode string

// The submit and collect modes.
const (
	AtWindow Mode = "window" // 窗口
	Online   Mode = "online" // 网上
	ByEMS    Mode = "ems"    // 邮寄 / EMS
)

// HalfDays is a time limit in half working days (承诺时限最小单位为0.5天):
// 5 working days is 10.
type HalfDays int

// Days is the limit in working days, e.g. 2.5.
func (h HalfDays) Days() float64 { return float64(h) / 2 }

// Item is one node of the catalog at one version: the guide of a 主项, 子项
// or 办理项 as published (or as a draft).
type Item struct {
	ID         int64  `json:"id"`        // stable across versions
	Code       string `json:"code"`      // 实施编码, unique, opaque
	BasicCode  string `json:"basicCode"` // 基本编码, shared by the same item at every level
	ParentCode string `json:"parentCode,omitempty"`
	Level      Level  `json:"level"`
	Version    int    `json:"version"` // 0 for a draft never published
	Status     Status `json:"status"`

	Name                 string         `json:"name"`
	Type                 ItemType       `json:"type"`
	DepartmentCode       string         `json:"departmentCode"`                 // identity.Department.Code
	JointDepartmentCodes []string       `json:"jointDepartmentCodes,omitempty"` // 联办机构
	Objects              []Object       `json:"objects"`
	CaseType             CaseType       `json:"caseType"`
	StatutoryLimit       HalfDays       `json:"statutoryLimit"` // 法定办结时限
	PromisedLimit        HalfDays       `json:"promisedLimit"`  // 承诺办结时限, ≤ statutory
	VisitsRequired       int            `json:"visitsRequired"` // 0 = 零跑, 1 = 最多跑一次
	OnlineDepth          int            `json:"onlineDepth"`    // 网办深度 1–4
	SubmitModes          []Mode         `json:"submitModes"`
	CollectModes         []Mode         `json:"collectModes"`
	Bookable             bool           `json:"bookable"`
	DailyQuota           int            `json:"dailyQuota,omitempty"`
	Fee                  string         `json:"fee"` // 收费标准; "不收费" when free
	FeeBasis             string         `json:"feeBasis,omitempty"`
	LegalBasis           string         `json:"legalBasis"`
	Conditions           string         `json:"conditions"` // 受理条件
	Flow                 string         `json:"flow"`       // 办理流程
	ResultName           string         `json:"resultName"`
	ResultSample         string         `json:"resultSample,omitempty"`
	FAQ                  []QA           `json:"faq,omitempty"`
	Materials            []ItemMaterial `json:"materials"`

	// Local-only fields: kept by this center, never overwritten by an
	// upstream import.
	Local Local `json:"local"`

	PublishedAt time.Time `json:"publishedAt,omitzero"`
	PublishedBy string    `json:"publishedBy,omitempty"` // username
	UpdatedAt   time.Time `json:"updatedAt,omitzero"`
}

// Local holds the fields a service center sets for itself.
type Local struct {
	Window string `json:"window,omitempty"` // 办理窗口
	Place  string `json:"place,omitempty"`  // 办理地点
	Hours  string `json:"hours,omitempty"`  // 办理时间
	Phone  string `json:"phone,omitempty"`  // 咨询电话
	Notes  string `json:"notes,omitempty"`
}

// QA is one frequently asked question.
type QA struct {
	Q string `json:"q"`
	A string `json:"a"`
}

// Status is where an item version stands.
type Status string

// The statuses of an item version.
const (
	Draft     Status = "draft"
	Published Status = "published"
	Withdrawn Status = "withdrawn" // no longer offered; old cases keep their version
)

// Source says where a material comes from.
type Source string

// The sources of a material.
const (
	FromApplicant Source = "applicant" // 申请人自备
	FromLicences  Source = "licence"   // 电子证照库 — the government issued it already
	FromSharing   Source = "sharing"   // 共享获取 — another department's data
)

// Material is an entry of the materials library (营业执照, 章程 …),
// defined once and referenced by many items.
type Material struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ProofCode   string `json:"proofCode,omitempty"`   // when the material is a proof (证明)
	LicenceType string `json:"licenceType,omitempty"` // when the registry holds it as an e-licence
}

// ItemMaterial is an item's use of a library material.
type ItemMaterial struct {
	MaterialCode string `json:"materialCode"`
	Name         string `json:"name,omitempty"` // filled from the library when read
	Originals    int    `json:"originals"`      // 原件份数
	Copies       int    `json:"copies"`         // 复印件份数
	Required     bool   `json:"required"`
	Tolerant     bool   `json:"tolerant"` // 容缺: may be promised later
	Source       Source `json:"source"`
	Note         string `json:"note,omitempty"`
}

// ProofStatus is whether a proof may still be demanded.
type ProofStatus string

// The statuses of a proof.
const (
	Retained  ProofStatus = "retained"  // 保留
	Cancelled ProofStatus = "cancelled" // 取消
)

// Replacement is what replaces a cancelled proof.
type Replacement string

// The replacements of a cancelled proof.
const (
	DirectCancel   Replacement = "direct"     // 直接取消
	Commitment     Replacement = "commitment" // 告知承诺
	DataSharing    Replacement = "sharing"    // 数据共享
	DeptCheck      Replacement = "check"      // 部门间核查
	LicenceReplace Replacement = "licence"    // 法定证照替代
)

// Proof is an entry of the proofs catalog (证明目录).
type Proof struct {
	ID          int64       `json:"id"`
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Purpose     string      `json:"purpose"`
	LegalBasis  string      `json:"legalBasis"`
	IssuingUnit string      `json:"issuingUnit"`
	Status      ProofStatus `json:"status"`
	Replacement Replacement `json:"replacement,omitempty"`
	CancelledAt time.Time   `json:"cancelledAt,omitzero"`
}

// Bundle is a "一件事": items of several departments done together, in
// stages that run one after another; the items of a stage run in parallel.
type Bundle struct {
	ID     int64   `json:"id"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Object Object  `json:"object"`
	Theme  string  `json:"theme,omitempty"`
	Stages []Stage `json:"stages"`
}

// Stage is a step of a bundle; its items run in parallel (并联).
type Stage struct {
	Name      string   `json:"name"`
	ItemCodes []string `json:"itemCodes"`
}

// ElementSet is the set of guide elements that must agree across every
// implementing body of the same basic item ("八统一"; configurable because
// the official eight are not published).
type ElementSet struct {
	Version  string   `json:"version"`
	Elements []string `json:"elements"` // Item JSON field names, e.g. "name", "legalBasis", "materials"
}

// DefaultElementSet is Hubei's "三级八同": 事项名称、设定依据、办件类型、受理
// 要求、申请材料、办理流程、办结时限、结果样本.
var DefaultElementSet = ElementSet{Version: "hubei-2018", Elements: []string{
	"name", "legalBasis", "caseType", "conditions", "materials", "flow", "statutoryLimit", "resultSample"}}

// Snapshot is a whole catalog as exported and imported (docs/catalog-format.md):
// the interchange format between a province and its service centers.
type Snapshot struct {
	Format     string     `json:"format"`  // "onevisit-catalog"
	Version    int        `json:"version"` // format version, 1
	ExportedAt time.Time  `json:"exportedAt,omitzero"`
	Source     string     `json:"source,omitempty"` // who published it, e.g. 浙江省政务服务事项目录
	Materials  []Material `json:"materials"`
	Proofs     []Proof    `json:"proofs"`
	Items      []Item     `json:"items"`
	Bundles    []Bundle   `json:"bundles"`
}
