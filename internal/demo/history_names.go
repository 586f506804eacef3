package demo

import (
	"context"
	"fmt"

	"onevisit/internal/identity"
)

// The names of the generated history's departments (D01–D31) and items
// (HIST-001 …): those of a county-level service center. The codes never
// change, so databases generated before the names existed get them from
// SeedHistoryDepartments; item names are stored in each generated case,
// so they reach only new generations.

// historyDepartments are the generated departments, D01 first (the
// department of the busiest item, by the generator's popularity curve),
// each with the item names it offers, the most asked-for first.
var historyDepartments = []struct {
	name, nameEn string
	items        []string
}{
	{"市场监督管理局", "Market Supervision Administration", []string{"企业设立登记", "个体工商户设立登记", "企业变更登记", "食品经营许可",
		"企业注销登记", "小餐饮登记", "药品零售企业许可", "特种设备使用登记", "计量器具强制检定"}},
	{"公安局", "Public Security Bureau", []string{"居民身份证换领", "户口迁移登记", "出生登记", "临时居民身份证办理",
		"机动车驾驶证换证", "居住证办理", "普通护照签发", "机动车注册登记", "无犯罪记录证明"}},
	{"人力资源和社会保障局", "Human Resources and Social Security Bureau", []string{"社会保障卡申领", "失业保险金申领",
		"城乡居民养老保险参保登记", "职工参保登记", "就业创业证申领", "退休申请", "工伤认定", "劳务派遣经营许可", "职业资格证书核发"}},
	{"自然资源和规划局", "Natural Resources and Planning Bureau", []string{"建设用地规划许可证核发", "建设工程规划许可证核发",
		"建设项目用地预审与选址意见书", "乡村建设规划许可证核发", "临时用地审批", "建设工程规划核实", "土地复垦方案审查",
		"采矿权登记", "国有建设用地使用权出让"}},
	{"住房和城乡建设局", "Housing and Urban-Rural Development Bureau", []string{"建筑工程施工许可证核发", "商品房预售许可",
		"建设工程竣工验收备案", "建设工程消防设计审查", "建筑业企业资质核准", "城镇污水排入排水管网许可", "燃气经营许可",
		"物业服务企业备案", "施工图审查备案"}},
	{"交通运输局", "Transport Bureau", []string{"道路运输经营许可", "道路运输证配发", "出租汽车驾驶员从业资格注册",
		"网络预约出租汽车运输证核发", "公路超限运输许可", "涉路施工许可", "道路货物运输驾驶员从业资格", "机动车维修经营备案", "港口经营许可"}},
	{"卫生健康局", "Health Bureau", []string{"出生医学证明办理", "医疗机构执业登记", "医师执业注册", "护士执业注册", "公共场所卫生许可",
		"生育登记", "放射诊疗许可", "母婴保健技术服务执业许可", "饮用水供水单位卫生许可"}},
	{"民政局", "Civil Affairs Bureau", []string{"结婚登记", "离婚登记", "最低生活保障审批", "社会团体成立登记", "民办非企业单位登记",
		"特困人员救助供养", "临时救助", "养老机构备案", "惠民殡葬补助申领"}},
	{"税务局", "Taxation Bureau", []string{"发票领用", "代开增值税发票", "税务登记信息确认", "个人所得税汇算清缴", "纳税证明开具",
		"清税证明", "车辆购置税申报", "契税申报", "增值税申报"}},
	{"医疗保障局", "Healthcare Security Bureau", []string{"医保参保登记", "异地就医备案", "门诊慢特病待遇认定", "医保关系转移接续",
		"生育津贴申领", "医疗费用手工报销", "定点医药机构协议签订", "灵活就业人员参保", "新生儿参保登记"}},
	{"住房公积金中心", "Housing Provident Fund Center", []string{"住房公积金提取", "住房公积金贷款", "单位缴存登记", "个人账户设立",
		"缴存基数调整", "异地转移接续", "贷款结清证明", "灵活就业人员缴存", "贷款提前还款"}},
	{"不动产登记中心", "Real Estate Registration Center", []string{"国有建设用地使用权及房屋所有权转移登记", "抵押权首次登记",
		"抵押权注销登记", "不动产首次登记", "预告登记", "不动产登记资料查询", "更正登记", "宅基地使用权及房屋所有权登记", "不动产权证书换证补证"}},
	{"教育局", "Education Bureau", []string{"教师资格认定", "义务教育入学登记", "学籍转学", "民办学校办学许可", "校外培训机构审批",
		"教师资格证书补发", "幼儿园设立审批", "学历证明", "学生资助申请"}},
	{"文化广电旅游体育局", "Culture, Radio, Television, Tourism and Sports Bureau", []string{"娱乐场所经营许可", "互联网上网服务营业场所经营许可",
		"营业性演出许可", "旅行社设立许可", "出版物零售许可", "高危险性体育项目经营许可", "卫星地面接收设施安装许可",
		"文物保护单位修缮审批", "印刷经营许可"}},
	{"农业农村局", "Agriculture and Rural Affairs Bureau", []string{"农村宅基地审批", "农药经营许可", "兽药经营许可", "动物防疫条件合格证核发",
		"种子生产经营许可", "拖拉机和联合收割机登记", "渔业捕捞许可", "生猪定点屠宰许可", "农作物种子生产经营备案"}},
	{"生态环境分局", "Ecology and Environment Branch", []string{"建设项目环境影响评价审批", "排污许可", "建设项目环评登记表备案",
		"排污登记", "危险废物经营许可", "辐射安全许可", "危险废物转移审批", "建设项目环保设施竣工验收备案", "环境噪声排放申报"}},
	{"水利局", "Water Resources Bureau", []string{"取水许可", "河道管理范围内建设项目审批", "生产建设项目水土保持方案审批",
		"洪水影响评价审批", "水利基建项目初步设计审批", "水土保持设施验收报备", "占用农业灌溉水源审批", "农村集体经济组织修建水库审批",
		"蓄滞洪区避洪设施审批"}},
	{"应急管理局", "Emergency Management Bureau", []string{"危险化学品经营许可", "烟花爆竹零售经营许可", "生产经营单位应急预案备案",
		"非药品类易制毒化学品经营备案", "特种作业操作证", "危险化学品建设项目安全条件审查", "安全评价报告备案", "安全生产许可",
		"安全培训机构备案"}},
	{"商务局", "Commerce Bureau", []string{"对外贸易经营者备案", "外商投资企业信息报告", "单用途商业预付卡备案", "成品油零售经营许可",
		"酒类流通备案", "再生资源回收经营者备案", "报废机动车回收拆解资质认定", "拍卖企业经营许可", "直销企业服务网点核查"}},
	{"发展和改革局", "Development and Reform Bureau", []string{"企业投资项目备案", "企业投资项目核准", "政府投资项目可行性研究报告审批",
		"固定资产投资项目节能审查", "招标方案核准", "政府投资项目初步设计审批", "价格认定", "粮食收购资格", "投资项目赋码"}},
	{"财政局", "Finance Bureau", []string{"代理记账许可", "政府采购备案", "非税收入票据领购", "行政事业单位国有资产处置审批",
		"财政票据核销", "政府采购进口产品审核", "会计人员信息采集", "财政补助资金申报", "社会组织票据申领"}},
	{"司法局", "Justice Bureau", []string{"法律援助申请", "公证事项办理", "人民调解申请", "律师执业许可初审", "基层法律服务工作者执业核准",
		"司法鉴定机构登记初审", "法律职业资格申请初审", "社区矫正对象外出审批", "刑满释放人员安置帮教"}},
	{"综合行政执法局", "Comprehensive Administrative Law Enforcement Bureau", []string{"城市建筑垃圾处置核准", "户外广告设施设置审批",
		"临时占用城市道路审批", "挖掘城市道路审批", "城市绿地树木砍伐审批", "店招店牌设置备案", "临时建筑审批", "市政设施建设类审批",
		"景观照明设施设置审批"}},
	{"退役军人事务局", "Veterans Affairs Bureau", []string{"退役军人优待证申领", "退役军人信息采集", "伤残抚恤申请", "退役士兵安置",
		"自主就业退役士兵一次性创业补助", "烈士褒扬金发放", "优抚对象定期抚恤", "军人军属优待", "光荣牌悬挂"}},
	{"残疾人联合会", "Disabled Persons' Federation", []string{"残疾人证办理", "残疾人两项补贴申请", "残疾人证换领", "残疾人辅助器具适配",
		"残疾儿童康复救助", "残疾人就业援助", "残疾人证迁移", "残疾人职业技能培训", "残疾人证注销"}},
	{"档案馆", "Archives", []string{"档案查阅利用", "婚姻档案查询", "档案证明出具", "房产档案查询", "知青档案查询", "民生档案跨馆出证",
		"档案复制", "档案寄存", "档案移交接收"}},
	{"气象局", "Meteorological Bureau", []string{"防雷装置设计审核", "防雷装置竣工验收", "升放无人驾驶自由气球审批", "气象灾害证明",
		"气象资料提供", "气象信息服务备案", "雷电防护装置检测资质初审", "施放气球单位资质认定", "新建扩建改建工程避免危害气象探测环境审批"}},
	{"消防救援大队", "Fire and Rescue Brigade", []string{"公众聚集场所投入使用营业前消防安全检查", "大型群众性活动消防安全检查",
		"消防安全重点单位备案", "火灾事故认定", "火灾损失证明", "消防技术服务机构备案", "消防设计审查咨询", "消防产品质量监督检查申请",
		"建设工程消防验收备案抽查"}},
	{"烟草专卖局", "Tobacco Monopoly Bureau", []string{"烟草专卖零售许可证新办", "烟草专卖零售许可证延续", "烟草专卖零售许可证变更",
		"烟草专卖零售许可证补办", "烟草专卖零售许可证停业", "烟草专卖零售许可证恢复营业", "烟草专卖零售许可证歇业", "烟草专卖品准运证",
		"烟草专卖批发企业许可初审"}},
	{"供电公司", "Power Supply Company", []string{"低压居民用电新装", "低压非居民用电新装", "高压用电新装", "用电增容", "用电更名过户",
		"临时用电", "分布式光伏并网", "充电桩用电报装", "电费发票开具"}},
	{"水务集团", "Water Supply Group", []string{"用水报装", "用水过户更名", "水表移位", "用水性质变更", "临时用水", "排水接驳",
		"停水销户", "二次供水设施验收", "水费发票开具"}},
}

// historyDepartmentCode is the code of the i-th generated department, from 0.
func historyDepartmentCode(i int) string { return fmt.Sprintf("D%02d", i+1) }

// historyItemName is the name of the n-th item (from 0) of the i-th
// department; past the named ones, the department's name and a number.
func historyItemName(i, n, seq int) string {
	d := historyDepartments[i]
	if n < len(d.items) {
		return d.items[n]
	}
	return fmt.Sprintf("%s事项 %03d", d.name, seq)
}

// HistoryDepartments are the departments of SyntheticItems, with their
// Chinese and English names.
func HistoryDepartments() []identity.Department {
	out := make([]identity.Department, len(historyDepartments))
	for i, d := range historyDepartments {
		out[i] = identity.Department{Code: historyDepartmentCode(i), Name: d.name, NameEn: d.nameEn, RegionCode: Region}
	}
	return out
}

// DepartmentRegistry is where SeedHistoryDepartments registers the
// departments (identity.Service).
type DepartmentRegistry interface {
	Departments(ctx context.Context) ([]identity.Department, error)
	CreateDepartment(ctx context.Context, p *identity.Principal, d identity.Department) (identity.Department, error)
}

// SeedHistoryDepartments registers the departments of the generated
// history that are missing, under the center when there is one; a code
// already registered is left as it is, so running it again (or on a
// database generated before the departments had names) adds each once.
// It reports how many it added.
func SeedHistoryDepartments(ctx context.Context, reg DepartmentRegistry) (int, error) {
	existing, err := reg.Departments(ctx)
	if err != nil {
		return 0, err
	}
	have, center := map[string]bool{}, int64(0)
	for _, d := range existing {
		have[d.Code] = true
		if d.Code == "CENTER" {
			center = d.ID
		}
	}
	added := 0
	for i, d := range HistoryDepartments() {
		if have[d.Code] {
			continue
		}
		d.ParentID = center
		if d.USCC, err = OrgUSCC("11", Region, fmt.Sprintf("MH0000%02d", i+1)); err != nil {
			return added, err
		}
		if _, err := reg.CreateDepartment(ctx, nil, d); err != nil {
			return added, fmt.Errorf("history department %s: %w", d.Code, err)
		}
		added++
	}
	return added, nil
}
