"""Industry classes (GB/T 4754-2017 sections and 4-digit classes) and name pools for the demo.

Pure data, no Django import. The class weights and risk-tag probabilities are the
demo's assumptions about a manufacturing-and-commerce district like Longhua.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Industry:
    code: str  # GB/T 4754-2017 小类
    section: str  # 门类
    words: tuple[str, ...]  # what a business of this class calls itself in its name
    weight: float  # relative frequency among entities of the kind
    tags: dict[str, float] = field(default_factory=dict)  # risk tag -> probability


ENTERPRISE_INDUSTRIES = (
    # C 制造业
    Industry(
        "3982", "C", ("电子", "电路"), 1.6, {"discharge": 0.5, "hazchem": 0.3, "occupational": 0.3}
    ),
    Industry("3976", "C", ("光电",), 0.8, {"hazchem": 0.15, "occupational": 0.2}),
    Industry("3912", "C", ("电脑配件", "计算机"), 0.6, {"occupational": 0.1}),
    Industry("3922", "C", ("通讯", "通信设备"), 0.8, {}),
    Industry("3961", "C", ("智能穿戴", "智能硬件"), 0.5, {}),
    Industry("3952", "C", ("音响", "电声"), 0.4, {"occupational": 0.1}),
    Industry("3874", "C", ("照明", "灯饰"), 0.6, {"dust": 0.05}),
    Industry("3841", "C", ("新能源", "电池"), 0.5, {"hazchem": 0.4, "fire_key": 0.3, "dust": 0.1}),
    Industry(
        "2929", "C", ("塑胶", "塑料制品"), 1.2, {"fire_key": 0.1, "dust": 0.05, "occupational": 0.2}
    ),
    Industry(
        "3360",
        "C",
        ("表面处理", "五金电镀"),
        0.3,
        {"discharge": 0.9, "hazchem": 0.8, "confined": 0.3, "occupational": 0.5},
    ),
    Industry(
        "3399",
        "C",
        ("五金", "金属制品"),
        1.4,
        {"dust": 0.25, "occupational": 0.2, "special_eq": 0.2},
    ),
    Industry("3489", "C", ("精密机械", "机械设备"), 0.9, {"special_eq": 0.3}),
    Industry("1819", "C", ("服饰", "制衣"), 0.9, {"fire_key": 0.15, "crowded": 0.05}),
    Industry(
        "2319", "C", ("印刷", "包装制品"), 0.6, {"hazchem": 0.3, "discharge": 0.3, "fire_key": 0.1}
    ),
    Industry("2231", "C", ("纸品", "包装材料"), 0.4, {"dust": 0.1, "fire_key": 0.15}),
    Industry("1411", "C", ("食品",), 0.3, {"food": 1.0, "ammonia": 0.05, "special_eq": 0.3}),
    Industry("2682", "C", ("化妆品", "日化"), 0.2, {"hazchem": 0.3}),
    Industry(
        "2641",
        "C",
        ("涂料", "化工"),
        0.15,
        {"hazchem": 1.0, "discharge": 0.6, "fire_key": 0.3, "confined": 0.2},
    ),
    Industry("3311", "C", ("钢结构",), 0.2, {"special_eq": 0.5, "occupational": 0.2}),
    Industry(
        "3392",
        "C",
        ("压铸", "铸造"),
        0.25,
        {"metal_melt": 0.8, "dust": 0.3, "special_eq": 0.3, "discharge": 0.3},
    ),
    Industry("4090", "C", ("仪器", "仪表"), 0.4, {}),
    # F 批发和零售业
    Industry("5176", "F", ("电子科技", "数码科技"), 5.0, {}),
    Industry("5179", "F", ("电子贸易", "电子商行"), 4.0, {}),
    Industry("5174", "F", ("五金贸易", "五金机电"), 3.0, {}),
    Industry("5132", "F", ("服装", "服饰贸易"), 3.0, {}),
    Industry("5169", "F", ("化工贸易",), 0.6, {"hazchem": 0.6}),
    Industry("5292", "F", ("电子商务",), 6.0, {}),
    Industry("5212", "F", ("商贸", "超市"), 1.2, {"food": 0.8, "crowded": 0.3}),
    Industry("5224", "F", ("生鲜",), 0.6, {"food": 1.0}),
    Industry("5251", "F", ("大药房", "医药"), 0.6, {}),
    Industry("5265", "F", ("石油", "能源"), 0.05, {"hazchem": 1.0, "fire_key": 1.0}),
    Industry("5181", "F", ("贸易", "国际贸易", "进出口"), 8.0, {}),
    # H 住宿和餐饮业
    Industry(
        "6210", "H", ("餐饮管理", "酒家"), 1.2, {"food": 1.0, "fire_key": 0.2, "crowded": 0.2}
    ),
    Industry("6220", "H", ("餐饮", "快餐"), 0.8, {"food": 1.0}),
    Industry("6232", "H", ("咖啡",), 0.2, {"food": 1.0}),
    Industry("6121", "H", ("酒店管理", "酒店"), 0.3, {"fire_key": 0.7, "crowded": 0.6}),
    # I 信息传输、软件和信息技术服务业
    Industry("6513", "I", ("软件", "信息技术", "网络科技"), 6.0, {}),
    Industry("6531", "I", ("信息系统", "智能系统"), 2.5, {}),
    Industry("6429", "I", ("互联网", "网络"), 1.5, {}),
    # L 租赁和商务服务业
    Industry("7212", "L", ("投资", "投资管理"), 3.0, {}),
    Industry("7224", "L", ("供应链", "供应链管理"), 3.0, {}),
    Industry("7263", "L", ("人力资源", "劳务派遣"), 1.5, {}),
    Industry("7259", "L", ("广告", "文化传播"), 3.0, {}),
    Industry("7221", "L", ("产业园", "园区运营"), 0.2, {"fire_key": 0.3}),
    Industry("7299", "L", ("企业管理", "商务咨询"), 6.0, {}),
    # M 科学研究和技术服务业
    Industry("7491", "M", ("工业设计", "设计"), 2.0, {}),
    Industry("7519", "M", ("科技", "技术"), 7.0, {}),
    Industry("7484", "M", ("工程设计", "建筑设计"), 1.0, {}),
    # E 建筑业
    Industry("4790", "E", ("建设工程", "建筑工程"), 1.2, {"construction": 1.0, "special_eq": 0.3}),
    Industry("4999", "E", ("机电安装", "安装工程"), 0.8, {"construction": 0.8}),
    Industry("5012", "E", ("装饰工程", "装饰设计"), 1.5, {"construction": 0.5}),
    Industry("4910", "E", ("电气工程",), 0.5, {"construction": 0.6}),
    # G 交通运输、仓储和邮政业
    Industry("5437", "G", ("物流", "配送"), 1.8, {}),
    Industry("5920", "G", ("仓储", "仓储服务"), 0.6, {"fire_key": 0.4}),
    Industry("5930", "G", ("冷链", "冷藏"), 0.15, {"ammonia": 0.6, "food": 0.5}),
    Industry("6020", "G", ("快递", "速递"), 0.4, {}),
    Industry("5431", "G", ("运输", "货运"), 1.0, {}),
    # K 房地产业
    Industry("7020", "K", ("物业管理", "物业服务"), 1.2, {"fire_key": 0.1}),
    Industry("7030", "K", ("房地产经纪", "地产"), 1.5, {}),
    Industry("7010", "K", ("房地产开发", "置业"), 0.3, {}),
    # O 居民服务、修理和其他服务业
    Industry("8040", "O", ("美容", "美发"), 0.5, {"crowded": 0.1}),
    Industry("8111", "O", ("汽车维修", "汽车服务"), 0.5, {"hazchem": 0.2, "discharge": 0.3}),
    Industry("8010", "O", ("家政服务",), 0.5, {}),
    # R 文化、体育和娱乐业
    Industry("9311", "R", ("娱乐", "歌舞娱乐"), 0.3, {"fire_key": 0.9, "crowded": 1.0}),
    Industry("9313", "R", ("网咖", "网络会所"), 0.2, {"fire_key": 0.7, "crowded": 0.8}),
    Industry("8930", "R", ("健身", "体育发展"), 0.5, {"crowded": 0.4}),
    # P 教育
    Industry("8393", "P", ("艺术培训", "教育科技"), 0.5, {"crowded": 0.3}),
    Industry("8394", "P", ("教育咨询",), 0.3, {}),
    Industry("8391", "P", ("职业培训", "培训"), 0.2, {}),
    # Q 卫生和社会工作
    Industry(
        "8425", "Q", ("门诊部", "口腔门诊", "医疗"), 0.2, {"discharge": 0.5, "occupational": 0.2}
    ),
    # N 水利、环境和公共设施管理业
    Industry("7820", "N", ("环境", "清洁服务"), 0.3, {}),
    Industry("7724", "N", ("环保科技",), 0.05, {"hazchem": 0.8, "discharge": 0.8}),
)

INDIVIDUAL_INDUSTRIES = (
    Industry("5213", "F", ("便利店", "士多店"), 18, {"food": 0.9}),
    Industry("5212", "F", ("百货商行", "超市"), 8, {"food": 0.7}),
    Industry("5224", "F", ("生鲜店", "肉菜档"), 6, {"food": 1.0}),
    Industry("5223", "F", ("果蔬店", "水果店"), 6, {"food": 1.0}),
    Industry("5232", "F", ("服装店", "时装店"), 7, {}),
    Industry("5274", "F", ("手机店", "通讯店"), 4, {}),
    Industry("5251", "F", ("药店",), 2, {}),
    Industry("5292", "F", ("电子商务商行", "网店"), 5, {}),
    Industry("6210", "H", ("餐馆", "饭店", "酒楼"), 10, {"food": 1.0, "fire_key": 0.05}),
    Industry("6220", "H", ("快餐店",), 9, {"food": 1.0}),
    Industry("6291", "H", ("小吃店", "粉面店", "烧烤店"), 8, {"food": 1.0}),
    Industry("8040", "O", ("理发店", "美容店", "美甲店"), 9, {"crowded": 0.05}),
    Industry("8111", "O", ("汽车维修店", "汽车美容店"), 3, {"discharge": 0.2}),
    Industry("5012", "E", ("装饰工程部", "装修队"), 3, {}),
    Industry("7030", "K", ("地产中介", "房产咨询部"), 2, {}),
)

OTHER_INDUSTRIES = (
    Industry("0141", "A", ("果蔬种植专业合作社",), 1, {}),
    Industry("0143", "A", ("花卉苗木专业合作社",), 1, {}),
)

# Characters enterprises choose for their trade name (字号); pairs of them make names.
TRADE_NAME_CHARS = (
    "华鑫泰达盛兴宏创新金富源恒誉联信德安卓越瑞祥嘉和美佳捷博辉龙凯腾飞骏远海天宇星光"
    "明丰润汇通力诚利顺昌隆永长康健乐众合成科精锐智慧云峰山林森湖江城邦威雄豪杰英伟俊"
    "松柏梅兰竹菊立方圆中亚欧东南西北晶钰铭彩虹蓝青绿红紫银宝玉石川洋航舜尧禹汉唐宋元"
    "丽雅致尚品优质益福禄寿喜吉庆鸿运弘扬旭阳晨曦朗月清澄溪泉鹏程万里启航领先驰骋迅捷"
    "百千亿兆盈裕"
)

SURNAMES = (
    ("王", 7.1),
    ("李", 7.0),
    ("张", 6.9),
    ("刘", 5.4),
    ("陈", 5.3),
    ("杨", 3.1),
    ("黄", 2.6),
    ("赵", 2.3),
    ("吴", 2.0),
    ("周", 1.9),
    ("徐", 1.5),
    ("孙", 1.4),
    ("马", 1.3),
    ("朱", 1.2),
    ("胡", 1.2),
    ("郭", 1.1),
    ("何", 1.1),
    ("林", 1.0),
    ("罗", 0.9),
    ("高", 0.9),
    ("郑", 0.8),
    ("梁", 0.8),
    ("谢", 0.7),
    ("宋", 0.6),
    ("唐", 0.6),
    ("许", 0.6),
    ("邓", 0.6),
    ("冯", 0.5),
    ("韩", 0.5),
    ("曾", 0.5),
    ("彭", 0.5),
    ("萧", 0.4),
    ("蔡", 0.4),
    ("潘", 0.4),
    ("田", 0.4),
    ("董", 0.4),
    ("袁", 0.4),
    ("叶", 0.4),
    ("钟", 0.4),
    ("廖", 0.3),
    ("温", 0.3),
    ("赖", 0.3),
    ("邱", 0.3),
    ("古", 0.1),
    ("巫", 0.1),
)
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉玲婷晓雪俊峰波宇浩"
    "鹏飞斌林颖琳欣怡嘉豪子轩思远梓涵佳慧振宏海燕冬梅春燕永明少华锦荣家乐"
)

ACTION_SUMMARIES = {
    "inspection": (
        "现场检查，未发现违法违规问题",
        "发现一般隐患，已责令限期整改",
        "资料核查，台账基本齐全",
        "发现问题已当场责令改正",
        "复查上次检查发现问题，已整改完毕",
    ),
    "penalty": (
        "依法作出警告的行政处罚",
        "依法作出罚款的行政处罚",
        "依法作出没收违法所得和罚款的行政处罚",
    ),
    "coercive": (
        "依法查封相关场所、设施",
        "依法扣押涉案物品",
        "依法暂扣相关设备",
    ),
}
