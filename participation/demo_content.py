"""Demo content for the participation platform of the QM areas in Friedrichshain-Kreuzberg.

The module holds pure data: areas, fields of action, guiding visions, demo users and ideas
with supporters and comments in German, English, Turkish and Arabic. All e-mail addresses use
the reserved ``demo.example.org`` domain (RFC 2606) and all links point to ``example.org``.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

Language = Literal["de", "en", "tr", "ar"]
AreaStatus = Literal["active", "consolidation"]
StakeholderRole = Literal["resident", "business", "owner", "institution"]
IdeaStatus = Literal["new", "under_review", "accepted", "rejected", "implemented"]

LANGUAGES: tuple[Language, ...] = ("de", "en", "tr", "ar")


class AreaData(TypedDict):
    slug: str
    name: str
    status: AreaStatus
    description: dict[str, str]


class FieldData(TypedDict):
    key: str
    name: dict[str, str]
    cross_cutting: bool


class UserData(TypedDict):
    key: str
    email: str
    display_name: str
    locale: Language
    roles: dict[str, list[StakeholderRole]]
    manager_of: list[str]
    admin: bool


class ReplyData(TypedDict):
    author: str
    language: Language
    body: str


class CommentData(TypedDict):
    author: str
    language: Language
    body: str
    replies: list[ReplyData]


class IdeaData(TypedDict):
    area: str
    field: str
    language: Language
    title: str
    body: str
    place: str | None
    author: str
    days_ago: int
    status: IdeaStatus
    supporters: list[str]
    comments: list[CommentData]


# ---------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------

AREAS: list[AreaData] = [
    {
        "slug": "mehringplatz",
        "name": "Mehringplatz",
        "status": "active",
        "description": {
            "de": (
                "Das Quartier Mehringplatz liegt rund um den kreisrunden Platz am südlichen Ende "
                "der Friedrichstraße, direkt am U-Bahnhof Hallesches Tor. Geprägt wird es von "
                "Wohnanlagen aus den 1970er Jahren, in denen viele Familien und ältere Menschen "
                "leben. Das Quartiersmanagement unterstützt Nachbarschaftsprojekte, Bildungs- und "
                "Gesundheitsangebote sowie die Gestaltung des Platzes gemeinsam mit den Menschen "
                "vor Ort."
            ),
            "en": (
                "The Mehringplatz area surrounds the round square at the southern end of "
                "Friedrichstraße, right by Hallesches Tor U-Bahn station. It is shaped by housing "
                "estates from the 1970s that are home to many families and older people. The "
                "neighbourhood management supports neighbourhood projects, education and health "
                "services, and the design of the square together with local people."
            ),
            "tr": (
                "Mehringplatz mahallesi, Friedrichstraße'nin güney ucundaki yuvarlak meydanın "
                "çevresinde, Hallesches Tor metro istasyonunun hemen yanında yer alır. Bölgeye, "
                "birçok ailenin ve yaşlının yaşadığı 1970'li yıllardan kalma konut yerleşimleri "
                "damgasını vurur. Mahalle yönetimi (QM), mahalle projelerini, eğitim ve sağlık "
                "hizmetlerini ve meydanın düzenlenmesini yerel halkla birlikte destekler."
            ),
            "ar": (
                "يقع حيّ ميرينغ بلاتس حول الساحة الدائرية في الطرف الجنوبي لشارع فريدريش، بجوار "
                "محطة مترو هالشيس تور مباشرة. تطبع الحيَّ مجمّعاتٌ سكنية من سبعينيات القرن الماضي "
                "يسكنها كثير من العائلات وكبار السن. تدعم إدارة الحي مشاريع الجيرة والخدمات "
                "التعليمية والصحية وتصميم الساحة بالتعاون مع السكان."
            ),
        },
    },
    {
        "slug": "wassertorplatz",
        "name": "Wassertorplatz",
        "status": "active",
        "description": {
            "de": (
                "Das Quartier Wassertorplatz liegt zwischen dem Kottbusser Tor und dem "
                "Landwehrkanal rund um den Wassertorplatz. Hier wohnen viele Familien mit Kindern "
                "in Häusern des sozialen Wohnungsbaus, dazu kommen Schulen, Kitas und die "
                "Grünflächen am Platz. Das Quartiersmanagement fördert Bildungsangebote, "
                "nachbarschaftliche Begegnung und die Gestaltung der Grün- und Spielflächen."
            ),
            "en": (
                "The Wassertorplatz area lies between Kottbusser Tor and the Landwehrkanal, around "
                "Wassertorplatz. Many families with children live here in social housing, "
                "alongside schools, day-care centres and the green spaces on the square. The "
                "neighbourhood management supports education projects, neighbourly encounters and "
                "the design of green spaces and playgrounds."
            ),
            "tr": (
                "Wassertorplatz mahallesi, Kottbusser Tor ile Landwehr Kanalı arasında, "
                "Wassertorplatz meydanının çevresinde yer alır. Burada çocuklu birçok aile sosyal "
                "konutlarda yaşar; okullar, kreşler ve meydandaki yeşil alanlar da mahallenin bir "
                "parçasıdır. Mahalle yönetimi (QM) eğitim projelerini, komşular arasındaki "
                "buluşmaları ve yeşil alanlarla oyun alanlarının düzenlenmesini destekler."
            ),
            "ar": (
                "يقع حيّ فاسرتور بلاتس بين كوتبوسر تور وقناة لاندفير، حول ساحة فاسرتور بلاتس. تعيش "
                "هنا عائلات كثيرة مع أطفالها في مساكن اجتماعية، إلى جانب المدارس ورياض الأطفال "
                "والمساحات الخضراء في الساحة. تدعم إدارة الحي المشاريع التعليمية ولقاءات الجيران "
                "وتصميم المساحات الخضراء والملاعب."
            ),
        },
    },
    {
        "slug": "zentrum-kreuzberg",
        "name": "Zentrum Kreuzberg/Oranienstraße",
        "status": "active",
        "description": {
            "de": (
                "Das Quartier Zentrum Kreuzberg/Oranienstraße erstreckt sich rund um das "
                "Kottbusser Tor und entlang der Oranienstraße. Dichte Wohnbebauung, kleine Läden, "
                "Gastronomie und Kultureinrichtungen liegen hier eng beieinander, und das "
                "Kottbusser Tor ist ein wichtiger Verkehrsknoten. Das Quartiersmanagement "
                "unterstützt Projekte für ein gutes Zusammenleben, für Kinder, Jugendliche und "
                "Ältere und für einen sicheren, sauberen öffentlichen Raum."
            ),
            "en": (
                "The Zentrum Kreuzberg/Oranienstraße area extends around Kottbusser Tor and along "
                "Oranienstraße. Dense housing, small shops, restaurants and cultural venues sit "
                "close together, and Kottbusser Tor is an important transport hub. The "
                "neighbourhood management supports projects for good community life, for children, "
                "young people and older residents, and for a safe and clean public space."
            ),
            "tr": (
                "Zentrum Kreuzberg/Oranienstraße mahallesi, Kottbusser Tor çevresinde ve "
                "Oranienstraße boyunca uzanır. Yoğun konut yapısı, küçük dükkânlar, lokantalar ve "
                "kültür kurumları burada iç içedir; Kottbusser Tor ise önemli bir ulaşım "
                "merkezidir. Mahalle yönetimi (QM); uyumlu bir birlikte yaşam, çocuklar, gençler "
                "ve yaşlılar için hizmetler ile güvenli ve temiz bir kamusal alan için projeleri "
                "destekler."
            ),
            "ar": (
                "يمتدّ حيّ تسنترم كرويتسبرغ/أورانين شتراسه حول كوتبوسر تور وعلى طول شارع أورانين. "
                "تتجاور هنا المباني السكنية الكثيفة والمحلات الصغيرة والمطاعم والمؤسسات الثقافية، "
                "ويُعدّ كوتبوسر تور عقدة مواصلات مهمة. تدعم إدارة الحي مشاريع من أجل عيش مشترك "
                "جيد، ومن أجل الأطفال والشباب وكبار السن، ومن أجل فضاء عام آمن ونظيف."
            ),
        },
    },
    {
        "slug": "mariannenplatz",
        "name": "Mariannenplatz",
        "status": "consolidation",
        "description": {
            "de": (
                "Das Quartier Mariannenplatz liegt rund um den Mariannenplatz mit dem ehemaligen "
                "Krankenhaus Bethanien, in dem heute Kultur- und Sozialeinrichtungen arbeiten. Das "
                "Programm des Quartiersmanagements ist hier beendet; das Gebiet befindet sich in "
                "der Verstetigung, getragen von Einrichtungen und Initiativen vor Ort. Diese Seite "
                "bleibt als Archiv der bisherigen Beteiligung erhalten."
            ),
            "en": (
                "The Mariannenplatz area surrounds Mariannenplatz with the former Bethanien "
                "hospital, which today houses cultural and social institutions. The neighbourhood "
                "management programme has ended here; the area is now in consolidation "
                "(Verstetigung), carried forward by local institutions and initiatives. This page "
                "is kept as an archive of past participation."
            ),
            "tr": (
                "Mariannenplatz mahallesi, bugün kültür ve sosyal kurumlara ev sahipliği yapan "
                "eski Bethanien hastanesinin bulunduğu Mariannenplatz meydanının çevresinde yer "
                "alır. Mahalle yönetimi programı burada sona ermiştir; bölge, yerel kurum ve "
                "girişimlerin sürdürdüğü kalıcılaştırma (Verstetigung) aşamasındadır. Bu sayfa, "
                "geçmiş katılım çalışmalarının arşivi olarak korunmaktadır."
            ),
            "ar": (
                "يقع حيّ ماريانن بلاتس حول ساحة ماريانن بلاتس ومبنى مستشفى بيتانيين السابق، الذي "
                "يضمّ اليوم مؤسسات ثقافية واجتماعية. انتهى برنامج إدارة الحي هنا، وتمرّ المنطقة "
                "الآن بمرحلة التثبيت (Verstetigung) التي تحملها المؤسسات والمبادرات المحلية. تبقى "
                "هذه الصفحة أرشيفاً للمشاركة السابقة."
            ),
        },
    },
    {
        "slug": "duettmann-siedlung",
        "name": "Düttmann-Siedlung",
        "status": "consolidation",
        "description": {
            "de": (
                "Die Düttmann-Siedlung ist eine Wohnsiedlung im Graefekiez, nahe der Hasenheide "
                "und der Urbanstraße. Das Programm des Quartiersmanagements ist hier beendet; das "
                "Gebiet befindet sich in der Verstetigung, und Nachbarschaftsangebote werden von "
                "Trägern und Bewohnerschaft weitergeführt. Diese Seite bleibt als Archiv erhalten."
            ),
            "en": (
                "The Düttmann-Siedlung is a housing estate in the Graefekiez, near Hasenheide and "
                "Urbanstraße. The neighbourhood management programme has ended here; the area is "
                "in consolidation (Verstetigung), and neighbourhood activities are continued by "
                "local organisations and residents. This page is kept as an archive."
            ),
            "tr": (
                "Düttmann-Siedlung, Graefekiez'de, Hasenheide ve Urbanstraße yakınlarında bulunan "
                "bir konut yerleşimidir. Mahalle yönetimi programı burada sona ermiştir; bölge "
                "kalıcılaştırma (Verstetigung) aşamasındadır ve mahalle etkinlikleri yerel "
                "kuruluşlar ve sakinler tarafından sürdürülmektedir. Bu sayfa arşiv olarak "
                "korunmaktadır."
            ),
            "ar": (
                "دوتمان زيدلونغ مجمّع سكني في حيّ غريفه كيتس، بالقرب من هازنهايده وشارع أوربان. "
                "انتهى برنامج إدارة الحي هنا، وتمرّ المنطقة بمرحلة التثبيت (Verstetigung)، وتواصل "
                "الجمعيات المحلية والسكان تقديم أنشطة الجيرة. تبقى هذه الصفحة أرشيفاً."
            ),
        },
    },
]


# ---------------------------------------------------------------------------
# Fields of action (Handlungsfelder)
# ---------------------------------------------------------------------------

FIELDS_OF_ACTION: list[FieldData] = [
    {
        "key": "integration",
        "name": {
            "de": "Integration und Nachbarschaft",
            "en": "Integration and neighbourhood",
            "tr": "Entegrasyon ve komşuluk",
            "ar": "الاندماج والجيرة",
        },
        "cross_cutting": False,
    },
    {
        "key": "education",
        "name": {"de": "Bildung", "en": "Education", "tr": "Eğitim", "ar": "التعليم"},
        "cross_cutting": False,
    },
    {
        "key": "public-space",
        "name": {
            "de": "Öffentlicher Raum",
            "en": "Public space",
            "tr": "Kamusal alan",
            "ar": "الفضاء العام",
        },
        "cross_cutting": False,
    },
    {
        "key": "health",
        "name": {
            "de": "Gesundheit und Bewegung",
            "en": "Health and physical activity",
            "tr": "Sağlık ve hareket",
            "ar": "الصحة والحركة",
        },
        "cross_cutting": False,
    },
    {
        "key": "participation",
        "name": {
            "de": "Beteiligung, Vernetzung und Kooperation",
            "en": "Participation, networking and cooperation",
            "tr": "Katılım, ağ oluşturma ve işbirliği",
            "ar": "المشاركة والتشبيك والتعاون",
        },
        "cross_cutting": False,
    },
    {
        "key": "climate",
        "name": {
            "de": "Klimaschutz und -anpassung",
            "en": "Climate protection and adaptation",
            "tr": "İklim koruma ve iklime uyum",
            "ar": "حماية المناخ والتكيّف مع تغيّره",
        },
        "cross_cutting": True,
    },
]


# ---------------------------------------------------------------------------
# Guiding visions (Leitbild) of the integrated action concepts 2025-2027
# ---------------------------------------------------------------------------

CONCEPT_VISION: dict[str, dict[str, str]] = {
    "mehringplatz": {
        "de": (
            "Der Mehringplatz soll ein Ort werden, an dem sich Menschen aller Generationen und "
            "Herkünfte gern aufhalten: ein grüner, schattiger und sicherer Platz, gut erreichbare "
            "Bildungs- und Beratungsangebote und eine Nachbarschaft, die sich kennt und "
            "gegenseitig unterstützt. Bis 2027 wollen wir gemeinsam mit Bewohnerinnen und "
            "Bewohnern, Einrichtungen und Gewerbetreibenden die Angebote im Quartier stärken, die "
            "Hitzebelastung verringern und mehr Menschen dafür gewinnen, ihren Kiez "
            "mitzugestalten."
        ),
        "en": (
            "Mehringplatz is to become a place where people of all generations and backgrounds "
            "like to spend time: a green, shady and safe square, easily accessible education and "
            "advice services, and a neighbourhood where people know and support one another. By "
            "2027, together with residents, local institutions and businesses, we want to "
            "strengthen the services in the area, reduce heat stress and encourage more people to "
            "help shape their neighbourhood."
        ),
        "tr": (
            "Mehringplatz, her kuşaktan ve her kökenden insanın vakit geçirmekten hoşlandığı bir "
            "yer olmalı: yeşil, gölgeli ve güvenli bir meydan, kolay ulaşılabilir eğitim ve "
            "danışmanlık hizmetleri ve birbirini tanıyan, birbirine destek olan bir komşuluk. "
            "2027'ye kadar sakinler, kurumlar ve esnafla birlikte mahalledeki hizmetleri "
            "güçlendirmek, sıcağın yükünü azaltmak ve mahallelerini birlikte şekillendirmek "
            "isteyen daha fazla insana ulaşmak istiyoruz."
        ),
        "ar": (
            "نريد أن يصبح ميرينغ بلاتس مكاناً يحبّ الناس من جميع الأجيال والخلفيات قضاء الوقت فيه: "
            "ساحة خضراء ظليلة وآمنة، وخدمات تعليمية واستشارية سهلة الوصول، وجيرة يعرف فيها الناس "
            "بعضهم ويدعم بعضهم بعضاً. حتى عام 2027 نريد، بالتعاون مع السكان والمؤسسات وأصحاب "
            "المحلات، تعزيز الخدمات في الحي، والتخفيف من عبء الحرّ، وتشجيع مزيد من الناس على "
            "المشاركة في تشكيل حيّهم."
        ),
    },
    "wassertorplatz": {
        "de": (
            "Das Quartier Wassertorplatz soll ein kinder- und familienfreundlicher Kiez sein, in "
            "dem Kinder und Jugendliche gute Bildungschancen haben, Grünflächen und Spielplätze "
            "gepflegt und vielfältig nutzbar sind und Nachbarinnen und Nachbarn unterschiedlicher "
            "Herkunft selbstverständlich zusammenkommen. Bis 2027 setzen wir auf starke Netzwerke "
            "zwischen Schulen, Kitas, Familien und Initiativen, auf klimaangepasste Freiflächen am "
            "Platz und am Kanal sowie auf Angebote, die Menschen in ihrer Gesundheit und "
            "Selbstständigkeit stärken."
        ),
        "en": (
            "The Wassertorplatz area is to be a child- and family-friendly neighbourhood where "
            "children and young people have good educational opportunities, green spaces and "
            "playgrounds are well kept and open to many uses, and neighbours of different "
            "backgrounds come together as a matter of course. Until 2027 we focus on strong "
            "networks between schools, day-care centres, families and local initiatives, on "
            "climate-adapted open spaces on the square and along the canal, and on services that "
            "support people's health and independence."
        ),
        "tr": (
            "Wassertorplatz; çocukların ve gençlerin iyi eğitim fırsatlarına sahip olduğu, yeşil "
            "alanların ve oyun alanlarının bakımlı ve çok yönlü kullanılabildiği, farklı "
            "kökenlerden komşuların doğal bir şekilde bir araya geldiği, çocuk ve aile dostu bir "
            "mahalle olmalı. 2027'ye kadar okullar, kreşler, aileler ve girişimler arasında güçlü "
            "ağlara, meydanda ve kanal kıyısında iklime uyumlu açık alanlara ve insanların "
            "sağlığını ve bağımsızlığını güçlendiren hizmetlere odaklanıyoruz."
        ),
        "ar": (
            "نريد أن يكون حيّ فاسرتور بلاتس حيّاً صديقاً للأطفال والعائلات، يحظى فيه الأطفال "
            "والشباب بفرص تعليمية جيدة، وتكون فيه المساحات الخضراء والملاعب نظيفة ومتنوعة "
            "الاستخدام، ويلتقي فيه الجيران من خلفيات مختلفة بشكل طبيعي. حتى عام 2027 نركّز على "
            "شبكات قوية بين المدارس ورياض الأطفال والعائلات والمبادرات، وعلى مساحات مفتوحة متكيّفة "
            "مع المناخ في الساحة وعلى ضفاف القناة، وعلى خدمات تعزّز صحة الناس واستقلاليتهم."
        ),
    },
    "zentrum-kreuzberg": {
        "de": (
            "Rund um Kottbusser Tor und Oranienstraße soll ein lebendiges, vielfältiges Zentrum "
            "bleiben, in dem Wohnen, Gewerbe und Kultur gut nebeneinander bestehen. Wir wollen, "
            "dass sich alle Menschen im öffentlichen Raum sicher und willkommen fühlen, dass "
            "Kinder, Jugendliche und Ältere passende Angebote finden und dass die Nachbarschaft "
            "ihre Anliegen selbstbewusst einbringt. Bis 2027 stärken wir dafür die Zusammenarbeit "
            "von Initiativen, Einrichtungen, Gewerbetreibenden und Verwaltung."
        ),
        "en": (
            "The area around Kottbusser Tor and Oranienstraße should remain a lively, diverse "
            "centre where housing, businesses and culture coexist well. We want everyone to feel "
            "safe and welcome in public space, children, young people and older residents to find "
            "suitable services, and the neighbourhood to voice its concerns with confidence. To "
            "achieve this by 2027, we are strengthening cooperation between initiatives, "
            "institutions, local businesses and the administration."
        ),
        "tr": (
            "Kottbusser Tor ve Oranienstraße çevresi; konutun, ticaretin ve kültürün uyum içinde "
            "bir arada var olduğu canlı ve çok renkli bir merkez olarak kalmalı. Herkesin kamusal "
            "alanda kendini güvende ve hoş karşılanmış hissetmesini, çocukların, gençlerin ve "
            "yaşlıların kendilerine uygun hizmetler bulmasını ve mahalle sakinlerinin taleplerini "
            "özgüvenle dile getirmesini istiyoruz. Bunun için 2027'ye kadar girişimler, kurumlar, "
            "esnaf ve yönetim arasındaki işbirliğini güçlendiriyoruz."
        ),
        "ar": (
            "ينبغي أن تبقى المنطقة المحيطة بكوتبوسر تور وشارع أورانين مركزاً حيوياً ومتنوعاً، "
            "يتعايش فيه السكن والتجارة والثقافة بشكل جيد. نريد أن يشعر الجميع بالأمان والترحيب في "
            "الأماكن العامة، وأن يجد الأطفال والشباب وكبار السن خدمات مناسبة لهم، وأن يعبّر "
            "الجيران عن اهتماماتهم بثقة. ولتحقيق ذلك حتى عام 2027 نعزّز التعاون بين المبادرات "
            "والمؤسسات وأصحاب المحلات والإدارة."
        ),
    },
}


# ---------------------------------------------------------------------------
# Demo users
# ---------------------------------------------------------------------------

USERS: list[UserData] = [
    {
        "key": "resident",
        "email": "resident@demo.example.org",
        "display_name": "Sabine Krüger",
        "locale": "de",
        "roles": {"mehringplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "business",
        "email": "business@demo.example.org",
        "display_name": "Mehmet Yıldız",
        "locale": "tr",
        "roles": {"mehringplatz": ["business"], "zentrum-kreuzberg": ["business"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "owner",
        "email": "owner@demo.example.org",
        "display_name": "Christiane Bergmann",
        "locale": "de",
        "roles": {"mehringplatz": ["owner"], "wassertorplatz": ["owner"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "manager-mehringplatz",
        "email": "manager-mehringplatz@demo.example.org",
        "display_name": "Jana Vogel",
        "locale": "de",
        "roles": {},
        "manager_of": ["mehringplatz"],
        "admin": False,
    },
    {
        "key": "manager-wassertorplatz",
        "email": "manager-wassertorplatz@demo.example.org",
        "display_name": "Tobias Lange",
        "locale": "de",
        "roles": {},
        "manager_of": ["wassertorplatz"],
        "admin": False,
    },
    {
        "key": "manager-zentrum-kreuzberg",
        "email": "manager-zentrum-kreuzberg@demo.example.org",
        "display_name": "Derya Aksoy",
        "locale": "de",
        "roles": {},
        "manager_of": ["zentrum-kreuzberg"],
        "admin": False,
    },
    {
        "key": "admin",
        "email": "admin@demo.example.org",
        "display_name": "Lena Hoffmann",
        "locale": "de",
        "roles": {},
        "manager_of": [],
        "admin": True,
    },
    {
        "key": "ayse",
        "email": "ayse.demir@demo.example.org",
        "display_name": "Ayşe Demir",
        "locale": "tr",
        "roles": {"mehringplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "omar",
        "email": "omar.haddad@demo.example.org",
        "display_name": "Omar Haddad",
        "locale": "ar",
        "roles": {"mehringplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "rania",
        "email": "rania.saleh@demo.example.org",
        "display_name": "Rania Saleh",
        "locale": "ar",
        "roles": {"mehringplatz": ["resident", "institution"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "greta",
        "email": "greta.schulz@demo.example.org",
        "display_name": "Greta Schulz",
        "locale": "de",
        "roles": {"mehringplatz": ["institution"], "wassertorplatz": ["institution"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "sophie",
        "email": "sophie.martin@demo.example.org",
        "display_name": "Sophie Martin",
        "locale": "en",
        "roles": {"mehringplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "ingrid",
        "email": "ingrid.wolff@demo.example.org",
        "display_name": "Ingrid Wolff",
        "locale": "de",
        "roles": {"mehringplatz": ["resident"], "zentrum-kreuzberg": ["institution"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "fatma",
        "email": "fatma.kaya@demo.example.org",
        "display_name": "Fatma Kaya",
        "locale": "tr",
        "roles": {"wassertorplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "layla",
        "email": "layla.nasser@demo.example.org",
        "display_name": "Layla Nasser",
        "locale": "ar",
        "roles": {"wassertorplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "thomas",
        "email": "thomas.becker@demo.example.org",
        "display_name": "Thomas Becker",
        "locale": "de",
        "roles": {"wassertorplatz": ["resident", "owner"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "piotr",
        "email": "piotr.kowalski@demo.example.org",
        "display_name": "Piotr Kowalski",
        "locale": "en",
        "roles": {"wassertorplatz": ["business"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "mariam",
        "email": "mariam.yousef@demo.example.org",
        "display_name": "Mariam Yousef",
        "locale": "ar",
        "roles": {"wassertorplatz": ["institution"], "duettmann-siedlung": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "zeynep",
        "email": "zeynep.celik@demo.example.org",
        "display_name": "Zeynep Çelik",
        "locale": "tr",
        "roles": {"wassertorplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "hueseyin",
        "email": "hueseyin.arslan@demo.example.org",
        "display_name": "Hüseyin Arslan",
        "locale": "tr",
        "roles": {"zentrum-kreuzberg": ["business"], "duettmann-siedlung": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "karim",
        "email": "karim.almasri@demo.example.org",
        "display_name": "Karim Al-Masri",
        "locale": "ar",
        "roles": {"zentrum-kreuzberg": ["resident", "business"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "nour",
        "email": "nour.khalil@demo.example.org",
        "display_name": "Nour Khalil",
        "locale": "ar",
        "roles": {"zentrum-kreuzberg": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "anna",
        "email": "anna.nowak@demo.example.org",
        "display_name": "Anna Nowak",
        "locale": "en",
        "roles": {"zentrum-kreuzberg": ["resident"], "mariannenplatz": ["resident"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "emre",
        "email": "emre.sahin@demo.example.org",
        "display_name": "Emre Şahin",
        "locale": "tr",
        "roles": {"zentrum-kreuzberg": ["resident"], "mariannenplatz": ["institution"]},
        "manager_of": [],
        "admin": False,
    },
    {
        "key": "jonas",
        "email": "jonas.weber@demo.example.org",
        "display_name": "Jonas Weber",
        "locale": "de",
        "roles": {"zentrum-kreuzberg": ["resident"], "mariannenplatz": ["institution"]},
        "manager_of": [],
        "admin": False,
    },
]


# ---------------------------------------------------------------------------
# Ideas
# ---------------------------------------------------------------------------

IDEAS: list[IdeaData] = [
    # --- Mehringplatz -------------------------------------------------------
    {
        "area": "mehringplatz",
        "field": "public-space",
        "language": "de",
        "title": "Schattenbäume für den inneren Ring des Mehringplatzes",
        "body": (
            "Im Sommer ist der innere Ring des Mehringplatzes mittags kaum auszuhalten, weil es "
            "fast keinen Schatten gibt. Ich schlage vor, entlang der Wege mehrere große Bäume zu "
            "pflanzen, wo der Boden es zulässt. Wo das wegen unterirdischer Leitungen nicht geht, "
            "könnten große Pflanzkübel mit einer Sitzkante helfen."
        ),
        "place": "Mehringplatz, innerer Ring",
        "author": "resident",
        "days_ago": 12,
        "status": "under_review",
        "supporters": ["ayse", "omar", "ingrid", "sophie", "owner", "rania"],
        "comments": [
            {
                "author": "ingrid",
                "language": "de",
                "body": (
                    "Unbedingt! Für uns Ältere ist der Weg über den Platz zur Arztpraxis im Juli "
                    "eine Zumutung."
                ),
                "replies": [
                    {
                        "author": "manager-mehringplatz",
                        "language": "de",
                        "body": (
                            "Danke für die Idee. Wir klären gerade mit dem Straßen- und "
                            "Grünflächenamt, wo Baumpflanzungen technisch möglich sind, und "
                            "berichten hier."
                        ),
                    }
                ],
            },
            {
                "author": "omar",
                "language": "ar",
                "body": "فكرة ممتازة. أطفالنا يلعبون هنا كل يوم ويحتاجون إلى الظل في الصيف.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "public-space",
        "language": "de",
        "title": "Mehr Bänke mit Rückenlehne zwischen Friedrichstraße und Platz",
        "body": (
            "Auf dem Weg von der Friedrichstraße zum Platz gibt es kaum Sitzgelegenheiten, die für "
            "ältere Menschen geeignet sind. Bänke mit Rücken- und Armlehnen etwa alle hundert "
            "Meter würden vielen helfen, die den Weg zum Einkaufen nicht mehr am Stück schaffen. "
            "Die Bänke sollten nicht in der prallen Sonne stehen."
        ),
        "place": "Friedrichstraße, südlicher Abschnitt",
        "author": "ingrid",
        "days_ago": 34,
        "status": "accepted",
        "supporters": ["resident", "rania", "ayse", "owner", "omar"],
        "comments": [
            {
                "author": "ayse",
                "language": "tr",
                "body": (
                    "Çok iyi bir fikir. Annem de alışverişten dönerken mutlaka oturup dinlenmek "
                    "zorunda kalıyor."
                ),
                "replies": [],
            },
            {
                "author": "manager-mehringplatz",
                "language": "de",
                "body": (
                    "Der Quartiersrat hat die Idee besprochen und für den Projektfonds empfohlen. "
                    "Die genauen Standorte stimmen wir im Frühjahr bei einem Ortstermin mit Ihnen "
                    "ab."
                ),
                "replies": [
                    {
                        "author": "ingrid",
                        "language": "de",
                        "body": "Das freut mich sehr. Ich komme gern zum Ortstermin.",
                    }
                ],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "education",
        "language": "de",
        "title": "Hausaufgabenhilfe im Nachbarschaftsraum auch am Freitag",
        "body": (
            "Die Hausaufgabenhilfe am Mehringplatz ist von Montag bis Donnerstag ausgebucht. Viele "
            "Grundschulkinder fragen, ob es auch freitags ein Angebot gibt, besonders vor "
            "Klassenarbeiten. Wir könnten dafür Ehrenamtliche aus der Nachbarschaft und "
            "Studierende gewinnen; Räume wären vorhanden."
        ),
        "place": "Mehringplatz, Nachbarschaftsraum",
        "author": "greta",
        "days_ago": 20,
        "status": "new",
        "supporters": ["rania", "omar", "ayse", "sophie"],
        "comments": [
            {
                "author": "sophie",
                "language": "en",
                "body": (
                    "I'm studying to become a maths teacher and could help on Friday afternoons "
                    "every other week."
                ),
                "replies": [
                    {
                        "author": "greta",
                        "language": "de",
                        "body": "Wunderbar, vielen Dank! Ich melde mich bei Ihnen.",
                    }
                ],
            },
            {
                "author": "omar",
                "language": "ar",
                "body": (
                    "ابني في الصف الرابع ويحتاج إلى مساعدة في الرياضيات. يوم الجمعة مناسب جداً لنا."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "integration",
        "language": "de",
        "title": "Nachbarschaftsfest zum Sommeranfang auf dem Platz",
        "body": (
            "Viele Nachbarinnen und Nachbarn kennen sich nur vom Sehen. Ein kleines Fest auf dem "
            "Mehringplatz mit Musik aus dem Kiez, einem Mitbringbuffet und Spielen für Kinder "
            "könnte das ändern. Vereine und Einrichtungen rund um den Platz könnten sich mit "
            "eigenen Ständen vorstellen."
        ),
        "place": "Mehringplatz",
        "author": "resident",
        "days_ago": 45,
        "status": "new",
        "supporters": ["ayse", "omar", "business", "ingrid", "rania", "greta", "sophie"],
        "comments": [
            {
                "author": "business",
                "language": "tr",
                "body": "Dükkânımdan içecek ve buz getirebilirim. Tarih belli olunca haber verin.",
                "replies": [],
            },
            {
                "author": "rania",
                "language": "ar",
                "body": "يمكن لمركز الأسرة أن يقدّم ركناً للرسم والألعاب للأطفال.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "climate",
        "language": "de",
        "title": "Informationsabend zu Fassadenbegrünung für Hauseigentümer",
        "body": (
            "Als Eigentümerin eines Hauses in der Nähe interessiere ich mich für begrünte Fassaden "
            "gegen die Sommerhitze. Hilfreich wäre ein Informationsabend mit Fachleuten, bei dem "
            "auch Fördermöglichkeiten vorgestellt werden. Eine erste Übersicht gibt es zum "
            "Beispiel hier: https://example.org/fassadengruen-berlin"
        ),
        "place": None,
        "author": "owner",
        "days_ago": 60,
        "status": "new",
        "supporters": ["resident", "ingrid"],
        "comments": [
            {
                "author": "greta",
                "language": "de",
                "body": (
                    "Die Kita nebenan hätte sicher auch Interesse, die Kinder könnten beim "
                    "Pflanzen helfen."
                ),
                "replies": [],
            }
        ],
    },
    {
        "area": "mehringplatz",
        "field": "health",
        "language": "de",
        "title": "Gymnastik für Seniorinnen und Senioren am Vormittag",
        "body": (
            "Einmal pro Woche könnte auf dem Platz, bei schlechtem Wetter im Nachbarschaftsraum, "
            "eine Gymnastikstunde für ältere Menschen stattfinden. Wichtig wäre eine "
            "Übungsleitung, die auch Türkisch oder Arabisch spricht. Das stärkt die Gesundheit und "
            "bringt Menschen zusammen, die sonst viel allein zu Hause sind."
        ),
        "place": "Mehringplatz, Nachbarschaftsraum",
        "author": "greta",
        "days_ago": 75,
        "status": "implemented",
        "supporters": ["ingrid", "ayse", "rania", "resident"],
        "comments": [
            {
                "author": "ingrid",
                "language": "de",
                "body": "Ich gehe seit dem Herbst jeden Dienstag hin. Sehr zu empfehlen!",
                "replies": [],
            },
            {
                "author": "ayse",
                "language": "tr",
                "body": "Annem de katılıyor ve Türkçe konuşan eğitmen sayesinde çok memnun.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "participation",
        "language": "de",
        "title": "Termine des Quartiersrats auch in den Hauseingängen aushängen",
        "body": (
            "Viele ältere Menschen nutzen kein Internet und erfahren nicht, wann der Quartiersrat "
            "tagt. Ein einfacher Aushang in den Hauseingängen, in mehreren Sprachen, würde mehr "
            "Menschen zur Teilnahme bewegen."
        ),
        "place": None,
        "author": "ingrid",
        "days_ago": 90,
        "status": "under_review",
        "supporters": ["resident", "omar"],
        "comments": [
            {
                "author": "owner",
                "language": "de",
                "body": (
                    "Als Eigentümerin stelle ich die Aushangfläche in meinem Haus gern zur "
                    "Verfügung."
                ),
                "replies": [],
            },
            {
                "author": "manager-mehringplatz",
                "language": "de",
                "body": (
                    "Danke! Wir sprechen dazu mit den Hausverwaltungen und der "
                    "Wohnungsbaugesellschaft."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "public-space",
        "language": "de",
        "title": "Bessere Beleuchtung im Durchgang zur Wilhelmstraße",
        "body": (
            "Der Durchgang von den Wohnhäusern zur Wilhelmstraße ist abends sehr dunkel, und viele "
            "meiden ihn deshalb. Hellere, aber nicht blendende Leuchten würden das "
            "Sicherheitsgefühl deutlich verbessern. Besonders Frauen und Jugendliche, die spät "
            "nach Hause kommen, würden davon profitieren."
        ),
        "place": "Durchgang zur Wilhelmstraße",
        "author": "resident",
        "days_ago": 8,
        "status": "new",
        "supporters": ["ayse", "sophie", "rania", "omar", "ingrid", "owner", "greta", "business"],
        "comments": [
            {
                "author": "sophie",
                "language": "en",
                "body": "Yes, please. I take a detour every evening because of this.",
                "replies": [],
            },
            {
                "author": "rania",
                "language": "ar",
                "body": "أوافق تماماً. ابنتي تعود من التدريب في الثامنة مساءً والممرّ مظلم جداً.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "integration",
        "language": "tr",
        "title": "Ayda bir Türkçe-Almanca kadın kahvaltısı",
        "body": (
            "Mahalledeki birçok kadın evden pek çıkmıyor ve Almanca konuşma fırsatı bulamıyor. "
            "Ayda bir kez komşuluk mekânında Türkçe ve Almanca konuşulan bir kahvaltı düzenlemek "
            "istiyoruz. Herkes bir şey getirebilir; çocuklar için de küçük bir oyun köşesi olmalı."
        ),
        "place": "Mehringplatz, Nachbarschaftsraum",
        "author": "ayse",
        "days_ago": 25,
        "status": "accepted",
        "supporters": ["rania", "ingrid", "resident", "omar", "sophie"],
        "comments": [
            {
                "author": "resident",
                "language": "de",
                "body": (
                    "Tolle Idee! Ich würde gern mitmachen und bringe selbstgebackenes Brot mit."
                ),
                "replies": [
                    {
                        "author": "ayse",
                        "language": "tr",
                        "body": "Çok sevindim, hoş geldiniz! İlk kahvaltı ayın ilk cumartesi günü.",
                    }
                ],
            },
            {
                "author": "rania",
                "language": "ar",
                "body": "هل يمكن للنساء العربيات أن ينضممن أيضاً؟ سيكون ذلك رائعاً.",
                "replies": [
                    {
                        "author": "ayse",
                        "language": "de",
                        "body": "Natürlich, alle Frauen sind herzlich eingeladen!",
                    }
                ],
            },
            {
                "author": "manager-mehringplatz",
                "language": "de",
                "body": (
                    "Die Idee wird aus dem Aktionsfonds gefördert. Bitte melden Sie sich wegen der "
                    "Raumnutzung im Büro."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "public-space",
        "language": "tr",
        "title": "Spätkauf önündeki çöpler için daha büyük çöp kutuları",
        "body": (
            "Dükkânımın önündeki çöp kutusu özellikle hafta sonları akşama kadar doluyor, şişeler "
            "ve ambalajlar yere saçılıyor. Kapaklı, daha büyük çöp kutuları ve şişeler için ayrı "
            "bir kutu konulmasını istiyoruz. Esnaf olarak biz de çevreyi düzenli olarak "
            "temizlemeye hazırız."
        ),
        "place": "Friedrichstraße, Höhe Mehringplatz",
        "author": "business",
        "days_ago": 15,
        "status": "new",
        "supporters": ["resident", "ingrid", "owner"],
        "comments": [
            {
                "author": "owner",
                "language": "de",
                "body": (
                    "Das Problem kenne ich. Vielleicht könnte die BSR im Sommer auch öfter leeren."
                ),
                "replies": [],
            }
        ],
    },
    {
        "area": "mehringplatz",
        "field": "health",
        "language": "tr",
        "title": "Oyun alanının yanına içme suyu çeşmesi",
        "body": (
            "Yazın çocuklar oyun alanında saatlerce oynuyor ama yakınlarda su içebilecekleri bir "
            "yer yok. Berlin'in başka yerlerinde olduğu gibi burada da bir içme suyu çeşmesi "
            "kurulabilir mi? Bu hem çocuklar hem de yaşlılar için çok faydalı olur."
        ),
        "place": "Mehringplatz, Spielplatz",
        "author": "ayse",
        "days_ago": 18,
        "status": "new",
        "supporters": ["omar", "rania", "sophie", "greta"],
        "comments": [
            {
                "author": "omar",
                "language": "ar",
                "body": "فكرة جيدة جداً، خاصة في أيام الحرّ الشديد.",
                "replies": [],
            }
        ],
    },
    {
        "area": "mehringplatz",
        "field": "education",
        "language": "ar",
        "title": "ساعة قراءة للأطفال باللغتين العربية والألمانية",
        "body": (
            "أقترح تنظيم ساعة قراءة أسبوعية للأطفال بين ثلاث وثماني سنوات، تُقرأ فيها القصص "
            "باللغتين العربية والألمانية. يساعد ذلك الأطفال على تعلّم الألمانية مع الحفاظ على "
            "لغتهم الأم، ويشجّع الأهالي على القراءة مع أطفالهم في البيت. يمكن أن يقرأ متطوعون من "
            "الحي بالتناوب."
        ),
        "place": None,
        "author": "omar",
        "days_ago": 40,
        "status": "under_review",
        "supporters": ["rania", "ayse", "greta", "sophie", "ingrid"],
        "comments": [
            {
                "author": "greta",
                "language": "de",
                "body": (
                    "Die Amerika-Gedenkbibliothek am Blücherplatz ist ganz in der Nähe. Ich frage "
                    "dort nach, ob wir einen Raum nutzen können."
                ),
                "replies": [
                    {
                        "author": "omar",
                        "language": "ar",
                        "body": "شكراً جزيلاً! أنا مستعد للقراءة بالعربية مرة في الشهر.",
                    }
                ],
            },
            {
                "author": "ingrid",
                "language": "de",
                "body": "Ich lese gern auf Deutsch vor, wenn jemand den arabischen Teil übernimmt.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "integration",
        "language": "ar",
        "title": "مقهى لتبادل اللغات بين الجيران",
        "body": (
            "كثير من الجيران يريدون تحسين لغتهم الألمانية، وآخرون يرغبون في تعلّم العربية أو "
            "التركية. أقترح لقاءً أسبوعياً مساء الأربعاء يجلس فيه الناس في مجموعات صغيرة ويتحدثون "
            "مع الشاي والقهوة. لا يحتاج ذلك إلى معلّم، بل إلى مكان دافئ وبعض المتطوعين لتنظيم "
            "الطاولات."
        ),
        "place": "Mehringplatz, Nachbarschaftsraum",
        "author": "rania",
        "days_ago": 55,
        "status": "new",
        "supporters": ["omar", "ayse", "sophie", "resident", "ingrid", "business"],
        "comments": [
            {
                "author": "sophie",
                "language": "en",
                "body": "I'd love to join. My German is okay, but I'd like to learn some Arabic.",
                "replies": [],
            },
            {
                "author": "ayse",
                "language": "tr",
                "body": "Türkçe masası için ben de gönüllü olabilirim.",
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "climate",
        "language": "ar",
        "title": "غرفة باردة لكبار السن في أيام الحرّ",
        "body": (
            "في الصيف الماضي كانت الشقق في الطوابق العليا حارة جداً، وخاصة بالنسبة لكبار السن "
            "والأطفال الصغار. أقترح فتح غرفة باردة في مركز الحي خلال موجات الحرّ، مع الماء "
            "والمعلومات عن طرق الوقاية من الحرّ. ويمكن تعليق هذه المعلومات بعدة لغات في مداخل "
            "المباني."
        ),
        "place": None,
        "author": "omar",
        "days_ago": 100,
        "status": "new",
        "supporters": ["rania", "ingrid", "ayse"],
        "comments": [
            {
                "author": "ingrid",
                "language": "de",
                "body": (
                    "Sehr wichtig. Meine Nachbarin über mir musste letzten Sommer wegen der Hitze "
                    "zweimal ins Krankenhaus."
                ),
                "replies": [],
            },
            {
                "author": "manager-mehringplatz",
                "language": "de",
                "body": (
                    "Der Bezirk arbeitet an einem Hitzeschutzplan. Wir bringen die Idee dort ein "
                    "und geben hier Bescheid."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "mehringplatz",
        "field": "public-space",
        "language": "en",
        "title": "More bike stands at the southern edge of the square",
        "body": (
            "Bikes are locked to every railing and lamppost near the U-Bahn entrance, which blocks "
            "the way for wheelchairs and prams. A row of simple bike stands, with a few spaces for "
            "cargo bikes, would clear the paths. It would also make it easier to combine cycling "
            "and the U-Bahn."
        ),
        "place": "Mehringplatz, Südseite am U-Bahnhof Hallesches Tor",
        "author": "sophie",
        "days_ago": 5,
        "status": "new",
        "supporters": ["resident", "greta"],
        "comments": [],
    },
    {
        "area": "mehringplatz",
        "field": "participation",
        "language": "en",
        "title": "A shared calendar for events around the square",
        "body": (
            "There are lots of good activities around Mehringplatz, but you only hear about them "
            "by chance. A shared online calendar plus a printed monthly overview in the "
            "neighbourhood centre would help. Something like https://example.org/kiezkalender "
            "could be a starting point."
        ),
        "place": None,
        "author": "sophie",
        "days_ago": 140,
        "status": "rejected",
        "supporters": ["omar"],
        "comments": [
            {
                "author": "manager-mehringplatz",
                "language": "de",
                "body": (
                    "Danke für den Vorschlag! Einen gemeinsamen Veranstaltungskalender gibt es "
                    "bereits auf der Website des Quartiersmanagements. Wir machen ihn bekannter "
                    "und schließen die Idee deshalb hier."
                ),
                "replies": [
                    {
                        "author": "sophie",
                        "language": "en",
                        "body": (
                            "Thanks, I didn't know that. A poster with a QR code at the house "
                            "entrances would help."
                        ),
                    }
                ],
            }
        ],
    },
    # --- Wassertorplatz -----------------------------------------------------
    {
        "area": "wassertorplatz",
        "field": "public-space",
        "language": "de",
        "title": "Spielplatz am Wassertorplatz gemeinsam mit Kindern erneuern",
        "body": (
            "Der Spielplatz am Wassertorplatz ist in die Jahre gekommen: Das Klettergerüst ist "
            "seit Monaten gesperrt, und der Sand wird selten ausgetauscht. Ich wünsche mir eine "
            "Erneuerung, bei der Kinder und Eltern aus dem Kiez mitplanen können. Schön wären auch "
            "Spielgeräte für die Kleinsten und schattige Sitzplätze für die Eltern."
        ),
        "place": "Wassertorplatz, Spielplatz",
        "author": "thomas",
        "days_ago": 10,
        "status": "under_review",
        "supporters": ["fatma", "layla", "zeynep", "mariam", "piotr", "greta", "owner"],
        "comments": [
            {
                "author": "fatma",
                "language": "tr",
                "body": (
                    "Çocuklarım her gün orada oynuyor. Küçük çocuklar için salıncak gerçekten çok "
                    "eksik."
                ),
                "replies": [],
            },
            {
                "author": "manager-wassertorplatz",
                "language": "de",
                "body": (
                    "Das Straßen- und Grünflächenamt plant eine Sanierung. Wir setzen uns für eine "
                    "Beteiligung der Kinder ein und informieren hier über die Termine."
                ),
                "replies": [
                    {
                        "author": "thomas",
                        "language": "de",
                        "body": "Super, danke für die schnelle Rückmeldung!",
                    }
                ],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "climate",
        "language": "de",
        "title": "Innenhöfe entsiegeln und Regenwasser nutzen",
        "body": (
            "In vielen Innenhöfen rund um den Wassertorplatz ist fast alles gepflastert. Wenn "
            "Eigentümerinnen und Eigentümer gemeinsam Flächen entsiegeln und Regenwasser "
            "versickern lassen, wird es im Sommer kühler und die Kanalisation wird entlastet. Ich "
            "schlage einen Austausch unter Eigentümern mit Beratung zu Förderprogrammen vor."
        ),
        "place": None,
        "author": "owner",
        "days_ago": 80,
        "status": "new",
        "supporters": ["thomas"],
        "comments": [
            {
                "author": "thomas",
                "language": "de",
                "body": (
                    "Ich bin dabei. Unser Hof hätte genug Platz für ein kleines Beet mit "
                    "Regentonne."
                ),
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "education",
        "language": "de",
        "title": "Lernwerkstatt für Jugendliche vor dem MSA",
        "body": (
            "Viele Jugendliche aus dem Kiez haben zu Hause keinen ruhigen Platz zum Lernen. Eine "
            "Lernwerkstatt in den Wochen vor den MSA-Prüfungen mit festen Zeiten, WLAN und "
            "Ansprechpersonen würde ihnen helfen. Ehemalige Schülerinnen und Schüler könnten als "
            "Lernpaten mitmachen."
        ),
        "place": None,
        "author": "greta",
        "days_ago": 30,
        "status": "accepted",
        "supporters": ["fatma", "layla", "mariam", "zeynep"],
        "comments": [
            {
                "author": "layla",
                "language": "ar",
                "body": "ابنتي ستقدّم امتحان MSA هذا العام، وهذا سيساعدها كثيراً.",
                "replies": [],
            },
            {
                "author": "mariam",
                "language": "de",
                "body": "Als Stadtteilmutter kann ich die Familien darüber informieren.",
                "replies": [],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "health",
        "language": "de",
        "title": "Kostenloses Training im Freien am Landwehrkanal",
        "body": (
            "Am Landwehrkanal treffen sich abends schon viele Leute zum Laufen. Ein angeleitetes, "
            "kostenloses Training zweimal pro Woche, zum Beispiel Fitness im Freien oder Yoga, "
            "würde auch Menschen ansprechen, die sich keinen Sportverein leisten können. Die "
            "Übungsleitung könnte über den Aktionsfonds finanziert werden."
        ),
        "place": "Fraenkelufer am Landwehrkanal",
        "author": "thomas",
        "days_ago": 50,
        "status": "new",
        "supporters": ["zeynep", "piotr", "layla"],
        "comments": [
            {
                "author": "piotr",
                "language": "en",
                "body": "I'd join. Maybe also a running group for beginners?",
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "participation",
        "language": "de",
        "title": "Runder Tisch mit den Hausverwaltungen",
        "body": (
            "Bei Problemen mit Müll, defekten Aufzügen oder Beleuchtung in den Höfen wissen viele "
            "Mieterinnen und Mieter nicht, an wen sie sich wenden sollen. Ein regelmäßiger runder "
            "Tisch mit den Hausverwaltungen, der Wohnungsbaugesellschaft und dem "
            "Quartiersmanagement könnte solche Probleme schneller lösen."
        ),
        "place": None,
        "author": "owner",
        "days_ago": 150,
        "status": "implemented",
        "supporters": ["thomas", "fatma", "mariam"],
        "comments": [
            {
                "author": "manager-wassertorplatz",
                "language": "de",
                "body": (
                    "Der erste runde Tisch hat im März stattgefunden, der nächste ist für den "
                    "Herbst geplant. Das Protokoll finden Sie unter "
                    "https://example.org/qm-wassertorplatz/runder-tisch"
                ),
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "public-space",
        "language": "de",
        "title": "Sicherer Schulweg über die Gitschiner Straße",
        "body": (
            "Viele Kinder überqueren auf dem Schulweg die Gitschiner Straße unter der Hochbahn, wo "
            "der Verkehr schnell und unübersichtlich ist. Ein Lotsendienst am Morgen oder eine "
            "zusätzliche Ampel würde die Eltern beruhigen. Wir könnten gemeinsam mit der Schule "
            "eine Schulwegbegehung machen."
        ),
        "place": "Gitschiner Straße, unter der Hochbahn",
        "author": "greta",
        "days_ago": 22,
        "status": "new",
        "supporters": ["fatma", "layla", "mariam", "zeynep", "thomas", "owner"],
        "comments": [
            {
                "author": "zeynep",
                "language": "tr",
                "body": "Kızım her sabah burada karşıya geçiyor, gerçekten çok tehlikeli.",
                "replies": [],
            },
            {
                "author": "thomas",
                "language": "de",
                "body": "Eine Schulwegbegehung finde ich gut, ich mache mit.",
                "replies": [],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "integration",
        "language": "tr",
        "title": "Anneler için çocuk bakımlı Almanca konuşma grubu",
        "body": (
            "Çocuklarımızı okula götürdükten sonra Almanca pratik yapabileceğimiz bir yer "
            "arıyoruz; mahallede bunu isteyen pek çok anne var. Haftada iki sabah, çocuk bakımıyla "
            "birlikte rahat bir konuşma grubu çok işimize yarar. Kurs gibi değil, günlük konular "
            "üzerine sohbet şeklinde olmalı."
        ),
        "place": None,
        "author": "fatma",
        "days_ago": 35,
        "status": "accepted",
        "supporters": ["zeynep", "layla", "mariam", "greta"],
        "comments": [
            {
                "author": "mariam",
                "language": "de",
                "body": (
                    "Ich kenne viele Mütter, die mitmachen würden. Vielleicht gibt es auch einen "
                    "Termin am Nachmittag?"
                ),
                "replies": [],
            },
            {
                "author": "greta",
                "language": "de",
                "body": "Die Schule kann dafür einen Raum zur Verfügung stellen.",
                "replies": [
                    {
                        "author": "fatma",
                        "language": "tr",
                        "body": "Çok teşekkür ederiz, bu harika bir haber!",
                    }
                ],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "public-space",
        "language": "tr",
        "title": "Yeşil alanda köpek dışkısı için poşet kutuları",
        "body": (
            "Wassertorplatz'taki çimenlikte çocuklar oynuyor ama her yerde köpek dışkısı var. "
            "Poşet kutuları ve birkaç bilgilendirme tabelası konulmasını öneriyorum. Köpek "
            "sahipleriyle birlikte küçük bir bilgilendirme günü de düzenlenebilir."
        ),
        "place": "Wassertorplatz, Liegewiese",
        "author": "zeynep",
        "days_ago": 65,
        "status": "new",
        "supporters": ["fatma", "thomas", "layla"],
        "comments": [
            {
                "author": "piotr",
                "language": "en",
                "body": (
                    "I have a dog and would gladly help with an info day. Most owners do clean up, "
                    "but there are often no bags."
                ),
                "replies": [
                    {
                        "author": "zeynep",
                        "language": "tr",
                        "body": "Teşekkürler, o zaman birlikte yapalım!",
                    }
                ],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "climate",
        "language": "tr",
        "title": "Sıcak yaz günleri için meydanda gölgelik ve su noktası",
        "body": (
            "Geçen yaz Wassertorplatz'ta öğleden sonra oturmak imkânsızdı. Oyun alanının üstüne "
            "bez gölgelikler ve yanına bir su noktası yapılmasını öneriyorum. Sıcaktan en çok "
            "yaşlılar ve küçük çocuklar etkileniyor."
        ),
        "place": "Wassertorplatz",
        "author": "fatma",
        "days_ago": 95,
        "status": "new",
        "supporters": ["zeynep", "mariam", "layla", "thomas", "greta"],
        "comments": [],
    },
    {
        "area": "wassertorplatz",
        "field": "health",
        "language": "ar",
        "title": "دورة سباحة للنساء والفتيات",
        "body": (
            "كثير من النساء والفتيات في الحي لا يعرفن السباحة، ولا يشعرن بالراحة في الأوقات "
            "المختلطة في المسبح. أقترح دورة سباحة للنساء فقط مع مدرّبة في أحد المسابح القريبة. "
            "يمكن أن تكون مرة في الأسبوع مع رعاية للأطفال الصغار."
        ),
        "place": None,
        "author": "layla",
        "days_ago": 28,
        "status": "under_review",
        "supporters": ["mariam", "fatma", "zeynep"],
        "comments": [
            {
                "author": "fatma",
                "language": "tr",
                "body": "Ben de katılmak isterim. Türk kadınları arasında da büyük ilgi olur.",
                "replies": [],
            },
            {
                "author": "manager-wassertorplatz",
                "language": "de",
                "body": (
                    "Wir sind dazu mit den Berliner Bäder-Betrieben im Gespräch. Vielen Dank für "
                    "die Idee!"
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "integration",
        "language": "ar",
        "title": "لقاء ترحيب شهري بالعائلات الجديدة في الحي",
        "body": (
            "تصل إلى الحي عائلات جديدة كثيرة لا تعرف أين تجد المدارس والأطباء ومراكز الاستشارة. "
            "أقترح لقاءً شهرياً للترحيب بها، يقدّم فيه الجيران والمؤسسات معلومات بسيطة بعدة لغات. "
            "ويمكن أيضاً إعداد خريطة صغيرة للحي على غرار "
            "https://example.org/kiezkarte-wassertorplatz"
        ),
        "place": None,
        "author": "mariam",
        "days_ago": 42,
        "status": "new",
        "supporters": ["layla", "fatma", "zeynep", "greta", "thomas"],
        "comments": [
            {
                "author": "greta",
                "language": "de",
                "body": "Wir würden uns als Schule gern beteiligen.",
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "education",
        "language": "ar",
        "title": "ورشة حاسوب وهاتف ذكي للأمهات",
        "body": (
            "كثير من الأمهات لا يعرفن كيف يستخدمن بوابة المدرسة الإلكترونية أو يكتبن رسالة "
            "إلكترونية إلى المعلمين. أقترح ورشة صغيرة مرة في الأسبوع لتعليم أساسيات الحاسوب "
            "والهاتف الذكي، مع ترجمة إلى العربية والتركية. هذا يساعد الأهل على متابعة دراسة "
            "أطفالهم."
        ),
        "place": None,
        "author": "layla",
        "days_ago": 70,
        "status": "new",
        "supporters": ["mariam", "zeynep", "fatma"],
        "comments": [
            {
                "author": "zeynep",
                "language": "tr",
                "body": "Çok gerekli! Ben de okulun uygulamasını kullanmakta zorlanıyorum.",
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "public-space",
        "language": "en",
        "title": "A self-service bike repair station at Wassertorplatz",
        "body": (
            "I run a small bike workshop nearby and often see people struggling with flat tyres or "
            "loose brakes. A public repair station with a pump and basic tools, fixed to the "
            "ground, would help a lot of people. I'd be happy to offer a free repair workshop "
            "there once a month."
        ),
        "place": "Wassertorplatz, Ecke Wassertorstraße",
        "author": "piotr",
        "days_ago": 6,
        "status": "new",
        "supporters": ["thomas", "zeynep", "greta", "owner"],
        "comments": [
            {
                "author": "thomas",
                "language": "de",
                "body": "Super Idee, und danke für das Angebot mit dem Workshop!",
                "replies": [],
            }
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "climate",
        "language": "en",
        "title": "Monthly repair café in the neighbourhood",
        "body": (
            "A lot of things end up in the bin although they could easily be fixed: toasters, "
            "lamps, clothes, bikes. A monthly repair café run by volunteers from the area would "
            "save money and waste and bring neighbours together. Similar projects are listed at "
            "https://example.org/repair-cafes-berlin"
        ),
        "place": None,
        "author": "piotr",
        "days_ago": 110,
        "status": "implemented",
        "supporters": ["owner", "fatma", "thomas", "layla", "mariam", "zeynep"],
        "comments": [
            {
                "author": "fatma",
                "language": "tr",
                "body": "Dikiş makinem var, kıyafet tamiri için gönüllü olabilirim.",
                "replies": [
                    {
                        "author": "piotr",
                        "language": "en",
                        "body": "That would be great, thank you! Let's talk at the next meeting.",
                    }
                ],
            },
            {
                "author": "manager-wassertorplatz",
                "language": "de",
                "body": (
                    "Das Repair-Café findet jetzt jeden ersten Samstag im Monat statt. Vielen Dank "
                    "an alle Helferinnen und Helfer!"
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "wassertorplatz",
        "field": "participation",
        "language": "en",
        "title": "A breakfast network for small businesses around the square",
        "body": (
            "The small shops and workshops around the square rarely talk to each other. A "
            "breakfast meeting every few months would help us share problems such as deliveries "
            "and waste and plan joint activities like a street festival. The neighbourhood "
            "management could help with the invitations."
        ),
        "place": None,
        "author": "piotr",
        "days_ago": 200,
        "status": "new",
        "supporters": ["owner"],
        "comments": [],
    },
    # --- Zentrum Kreuzberg/Oranienstraße -------------------------------------
    {
        "area": "zentrum-kreuzberg",
        "field": "public-space",
        "language": "de",
        "title": "Hellere Passage am Zentrum Kreuzberg",
        "body": (
            "Die Passage unter dem Zentrum Kreuzberg am Kottbusser Tor ist abends schlecht "
            "beleuchtet und wirkt unfreundlich. Hellere, warmweiße Leuchten und eine regelmäßige "
            "Reinigung würden den Weg für alle angenehmer machen. Vielleicht könnten Jugendliche "
            "aus dem Kiez die Wände gemeinsam mit Künstlerinnen und Künstlern gestalten."
        ),
        "place": "Kottbusser Tor, Passage am Zentrum Kreuzberg",
        "author": "jonas",
        "days_ago": 14,
        "status": "under_review",
        "supporters": ["anna", "emre", "karim", "nour", "ingrid", "business"],
        "comments": [
            {
                "author": "karim",
                "language": "ar",
                "body": "مقهاي قريب من هنا، وزبائني يشتكون من الظلام في المساء.",
                "replies": [],
            },
            {
                "author": "manager-zentrum-kreuzberg",
                "language": "de",
                "body": (
                    "Wir haben die Idee an die Eigentümerin des Gebäudes weitergegeben und sind zu "
                    "einer besseren Beleuchtung im Gespräch."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "climate",
        "language": "de",
        "title": "Patenschaften für die Baumscheiben in der Oranienstraße",
        "body": (
            "Viele Baumscheiben in der Oranienstraße sind festgetreten oder voller Müll. Mit "
            "Patenschaften aus der Nachbarschaft könnten wir sie bepflanzen, niedrige Zäune "
            "aufstellen und die Bäume im Sommer gießen. Das Bezirksamt bietet dafür Genehmigungen "
            "und Beratung an."
        ),
        "place": "Oranienstraße, zwischen Oranienplatz und Adalbertstraße",
        "author": "jonas",
        "days_ago": 48,
        "status": "accepted",
        "supporters": ["anna", "ingrid", "emre", "hueseyin"],
        "comments": [
            {
                "author": "anna",
                "language": "en",
                "body": "Count me in! I already water the tree in front of our house.",
                "replies": [],
            },
            {
                "author": "ingrid",
                "language": "de",
                "body": "Mit den Kindern aus meiner Vorlesegruppe setze ich gern Blumenzwiebeln.",
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "education",
        "language": "de",
        "title": "Mehr Vorlesepatinnen und -paten für Grundschulkinder",
        "body": (
            "Ich lese seit einem Jahr ehrenamtlich in einer Grundschule vor und merke, wie viel "
            "das den Kindern bringt. Es fehlen aber weitere Vorlesepatinnen und -paten, vor allem "
            "solche, die auch Türkisch oder Arabisch sprechen. Das Quartiersmanagement könnte "
            "helfen, Freiwillige zu finden und eine kleine Schulung zu organisieren."
        ),
        "place": None,
        "author": "ingrid",
        "days_ago": 66,
        "status": "new",
        "supporters": ["emre", "karim", "nour", "anna"],
        "comments": [
            {
                "author": "nour",
                "language": "ar",
                "body": "أستطيع أن أقرأ بالعربية مرة في الأسبوع بعد الظهر.",
                "replies": [],
            },
            {
                "author": "emre",
                "language": "tr",
                "body": "Türkçe okumak için ben de gönüllüyüm.",
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "participation",
        "language": "de",
        "title": "Offene Kiezversammlung zweimal im Jahr",
        "body": (
            "Viele Themen im Kiez, von Mieten über Verkehr bis zu Müll, werden nur im kleinen "
            "Kreis besprochen. Eine offene Kiezversammlung zweimal im Jahr mit Übersetzung ins "
            "Türkische und Arabische würde mehr Menschen erreichen. Die Ergebnisse könnten auf "
            "dieser Plattform veröffentlicht werden."
        ),
        "place": None,
        "author": "jonas",
        "days_ago": 120,
        "status": "new",
        "supporters": ["anna", "karim"],
        "comments": [
            {
                "author": "hueseyin",
                "language": "tr",
                "body": "Güzel fikir, ama toplantı akşam yapılmalı ki esnaf da katılabilsin.",
                "replies": [
                    {
                        "author": "jonas",
                        "language": "de",
                        "body": "Guter Punkt, dann am besten nach 19 Uhr.",
                    }
                ],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "integration",
        "language": "de",
        "title": "Generationencafé: Ältere und Jugendliche im Gespräch",
        "body": (
            "Im Kiez leben viele ältere Menschen, die seit Jahrzehnten hier wohnen, und viele "
            "Jugendliche, die wenig über die Geschichte der Oranienstraße wissen. In einem "
            "Generationencafé könnten Ältere erzählen und Jugendliche zum Beispiel beim Umgang mit "
            "dem Smartphone helfen. Davon hätten beide Seiten etwas."
        ),
        "place": None,
        "author": "ingrid",
        "days_ago": 180,
        "status": "implemented",
        "supporters": ["jonas", "emre", "nour"],
        "comments": [
            {
                "author": "emre",
                "language": "tr",
                "body": "Gençlik merkezindeki gençlerle konuştum, çok ilgililer.",
                "replies": [],
            },
            {
                "author": "manager-zentrum-kreuzberg",
                "language": "de",
                "body": (
                    "Das Generationencafé findet seit dem Frühjahr alle zwei Wochen statt. Danke "
                    "für die Anregung!"
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "health",
        "language": "de",
        "title": "Tischtennisplatten und Bewegungsgeräte am Oranienplatz",
        "body": (
            "Am Oranienplatz gibt es viel Fläche, aber kaum Möglichkeiten, sich zu bewegen. Zwei "
            "Tischtennisplatten und einige einfache Fitnessgeräte für Erwachsene würden "
            "Jugendliche und Ältere gleichermaßen ansprechen. Schläger und Bälle könnte ein Café "
            "in der Nähe verleihen."
        ),
        "place": "Oranienplatz",
        "author": "jonas",
        "days_ago": 3,
        "status": "new",
        "supporters": ["karim", "business"],
        "comments": [
            {
                "author": "karim",
                "language": "ar",
                "body": "يمكنني أن أعير المضارب والكرات من مقهاي.",
                "replies": [
                    {
                        "author": "jonas",
                        "language": "de",
                        "body": "Perfekt, danke, Karim!",
                    }
                ],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "public-space",
        "language": "tr",
        "title": "Oranienstraße'de sabah saatleri için yükleme alanları",
        "body": (
            "Oranienstraße'de teslimat araçları bisiklet yolunu ve kaldırımı kapatıyor; bu hem "
            "bisikletliler hem de yayalar için tehlikeli. Sabah saatlerinde belirli yerlerde kısa "
            "süreli yükleme alanları ayrılmasını öneriyorum. Böylece esnaf mallarını teslim "
            "alabilir ve yol açık kalır."
        ),
        "place": "Oranienstraße",
        "author": "business",
        "days_ago": 38,
        "status": "under_review",
        "supporters": ["hueseyin", "karim", "jonas", "anna"],
        "comments": [
            {
                "author": "anna",
                "language": "en",
                "body": (
                    "As a cyclist I fully support this. Every morning I have to swerve into "
                    "traffic."
                ),
                "replies": [],
            },
            {
                "author": "manager-zentrum-kreuzberg",
                "language": "de",
                "body": (
                    "Wir haben die Idee an das Bezirksamt weitergeleitet, das gerade Lieferzonen "
                    "für die Oranienstraße prüft."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "integration",
        "language": "tr",
        "title": "Vitrinlerde mahallenin göç tarihini anlatan sergi",
        "body": (
            "1960'lardan beri Oranienstraße'ye gelen işçi aileleri bu mahalleyi şekillendirdi. "
            "Yaşlıların anılarını, fotoğraflarını ve hikâyelerini toplayarak dükkân vitrinlerinde "
            "küçük bir sergi açmak istiyoruz. Gençler de röportajları kaydederek katkıda "
            "bulunabilir."
        ),
        "place": "Oranienstraße",
        "author": "hueseyin",
        "days_ago": 85,
        "status": "accepted",
        "supporters": ["emre", "business", "ingrid", "jonas", "anna", "karim"],
        "comments": [
            {
                "author": "ingrid",
                "language": "de",
                "body": (
                    "Eine wunderbare Idee. Ich habe noch Fotos von der Oranienstraße aus den 70er "
                    "Jahren."
                ),
                "replies": [],
            },
            {
                "author": "emre",
                "language": "tr",
                "body": "Gençlik merkezinde bir röportaj atölyesi yapabiliriz.",
                "replies": [
                    {
                        "author": "hueseyin",
                        "language": "tr",
                        "body": "Harika, hemen konuşalım.",
                    }
                ],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "education",
        "language": "tr",
        "title": "Gençler için ücretsiz kodlama atölyesi",
        "body": (
            "Gençlik merkezimize gelen birçok genç bilgisayar oyunlarına ilgi duyuyor ama kendi "
            "oyunlarını nasıl yapacaklarını bilmiyor. Haftada bir ücretsiz kodlama atölyesi açmak "
            "istiyoruz; dizüstü bilgisayarlar için küçük bir bütçeye ihtiyacımız var. Atölye "
            "Türkçe, Almanca ve Arapça destekle yürütülebilir."
        ),
        "place": None,
        "author": "emre",
        "days_ago": 52,
        "status": "new",
        "supporters": ["jonas", "anna", "nour", "karim"],
        "comments": [
            {
                "author": "anna",
                "language": "en",
                "body": "I'm a web developer and could teach one session a month.",
                "replies": [
                    {
                        "author": "emre",
                        "language": "en",
                        "body": "Thank you so much! I'll send you an email.",
                    }
                ],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "climate",
        "language": "tr",
        "title": "Esnaf için ortak karton ve şişe toplama noktası",
        "body": (
            "Dükkânlarımızda her gün çok fazla karton ve boş şişe çıkıyor, çöp konteynerleri de "
            "hızla doluyor. Birkaç dükkân birlikte ortak bir geri dönüşüm noktası kurarsa hem "
            "maliyet azalır hem de sokak daha temiz olur. Quartiersmanagement, BSR ile "
            "görüşmemizde bize yardımcı olabilir mi?"
        ),
        "place": None,
        "author": "business",
        "days_ago": 125,
        "status": "new",
        "supporters": ["hueseyin", "karim"],
        "comments": [],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "health",
        "language": "tr",
        "title": "Esnaf ve çalışanlar için akşam saatlerinde sağlık danışmanlığı",
        "body": (
            "Uzun saatler çalışan esnaf ve çalışanlar doktora gitmeye çoğu zaman vakit bulamıyor. "
            "Ayda bir akşam, mahallede Türkçe ve Almanca sağlık danışmanlığı, tansiyon ve şeker "
            "ölçümü yapılabilir. Bilgilendirme broşürleri https://example.org/gesundheit-kreuzberg "
            "adresinden indirilebilir."
        ),
        "place": None,
        "author": "hueseyin",
        "days_ago": 170,
        "status": "new",
        "supporters": ["business", "karim", "emre"],
        "comments": [
            {
                "author": "karim",
                "language": "ar",
                "body": "فكرة مفيدة. أنا أيضاً أعمل حتى وقت متأخر ولا أجد وقتاً لزيارة الطبيب.",
                "replies": [],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "integration",
        "language": "ar",
        "title": "أمسية طبخ مشتركة للجيران",
        "body": (
            "أدير مقهى صغيراً في الحي، وألاحظ أن الطعام يجمع الناس بسهولة. أقترح أمسية طبخ شهرية "
            "يطبخ فيها الجيران معاً أطباقاً من سوريا وتركيا وألمانيا وبلدان أخرى. يمكن أن تكون "
            "المكوّنات بسيطة، فالأهم أن يتعرّف الناس على بعضهم."
        ),
        "place": None,
        "author": "karim",
        "days_ago": 27,
        "status": "new",
        "supporters": ["nour", "emre", "hueseyin", "jonas", "anna", "ingrid", "business"],
        "comments": [
            {
                "author": "jonas",
                "language": "de",
                "body": (
                    "Da bin ich dabei! Ich bringe Kartoffelsalat nach dem Rezept meiner Oma mit."
                ),
                "replies": [],
            },
            {
                "author": "nour",
                "language": "ar",
                "body": "فكرة جميلة. أستطيع أن أساعد في التنظيم.",
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "public-space",
        "language": "ar",
        "title": "مرحاض عام نظيف عند كوتبوسر تور",
        "body": (
            "لا يوجد عند كوتبوسر تور مرحاض عام نظيف ومجاني، وهذه مشكلة كبيرة لكبار السن وللعائلات "
            "التي معها أطفال. أقترح تركيب مرحاض عام يُنظَّف بانتظام ويكون مناسباً للكراسي "
            "المتحركة."
        ),
        "place": "Kottbusser Tor",
        "author": "nour",
        "days_ago": 19,
        "status": "under_review",
        "supporters": ["karim", "ingrid", "anna", "emre", "jonas"],
        "comments": [
            {
                "author": "ingrid",
                "language": "de",
                "body": (
                    "Das ist wirklich dringend. Ich plane jeden Einkauf danach, wo ich eine "
                    "Toilette finde."
                ),
                "replies": [],
            },
            {
                "author": "manager-zentrum-kreuzberg",
                "language": "de",
                "body": (
                    "Der Bezirk prüft derzeit Standorte für neue öffentliche Toiletten. Wir haben "
                    "den Bedarf am Kottbusser Tor gemeldet."
                ),
                "replies": [],
            },
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "health",
        "language": "ar",
        "title": "استشارة نفسية واجتماعية باللغة العربية في الحي",
        "body": (
            "كثير من العائلات التي وصلت حديثاً تعاني من ضغوط نفسية، لكنها لا تجد استشارة بلغتها "
            "الأم. أقترح ساعات استشارة أسبوعية مجانية في أحد مراكز الحي، بالتعاون مع مختصين "
            "يتحدثون العربية. ويمكن نشر المعلومات على https://example.org/beratung-kreuzberg"
        ),
        "place": None,
        "author": "nour",
        "days_ago": 160,
        "status": "new",
        "supporters": ["karim", "emre"],
        "comments": [
            {
                "author": "emre",
                "language": "tr",
                "body": "Türkçe için de benzer bir ihtiyaç var. Belki birlikte planlanabilir.",
                "replies": [],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "public-space",
        "language": "en",
        "title": "Places to sit on Oranienstraße without having to buy anything",
        "body": (
            "Almost every seat on Oranienstraße belongs to a café or bar, so you have to buy "
            "something just to rest. A few public benches or parklets in parking spaces would give "
            "older people, parents and children a free place to sit. Other Berlin streets have "
            "tried this, see https://example.org/parklets"
        ),
        "place": "Oranienstraße",
        "author": "anna",
        "days_ago": 9,
        "status": "new",
        "supporters": ["jonas", "ingrid", "nour"],
        "comments": [
            {
                "author": "business",
                "language": "tr",
                "body": "Dükkânımın önüne bir bank konulursa bakımına ben de yardım ederim.",
                "replies": [],
            }
        ],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "participation",
        "language": "en",
        "title": "Multilingual summaries of the neighbourhood council's decisions",
        "body": (
            "Many newer neighbours don't read German well enough to follow the Quartiersrat. Short "
            "summaries of its decisions in English, Turkish and Arabic on this platform would help "
            "everyone to stay informed. I can help with the English version."
        ),
        "place": None,
        "author": "anna",
        "days_ago": 240,
        "status": "accepted",
        "supporters": ["karim", "nour", "emre"],
        "comments": [
            {
                "author": "manager-zentrum-kreuzberg",
                "language": "de",
                "body": (
                    "Gute Idee, und danke für das Angebot! Ab der nächsten Sitzung veröffentlichen "
                    "wir kurze Zusammenfassungen in mehreren Sprachen."
                ),
                "replies": [
                    {
                        "author": "anna",
                        "language": "en",
                        "body": "Great, just send me the German text when it's ready.",
                    }
                ],
            }
        ],
    },
    # --- Mariannenplatz (archive) -------------------------------------------
    {
        "area": "mariannenplatz",
        "field": "public-space",
        "language": "de",
        "title": "Sitzgruppen im Schatten vor dem Bethanien",
        "body": (
            "Auf der großen Wiese am Mariannenplatz fehlen Sitzgelegenheiten im Schatten. Ein paar "
            "fest installierte Sitzgruppen unter den Bäumen vor dem Bethanien würden den Platz für "
            "Ältere und Familien attraktiver machen."
        ),
        "place": "Mariannenplatz, vor dem Bethanien",
        "author": "jonas",
        "days_ago": 290,
        "status": "implemented",
        "supporters": ["anna", "emre"],
        "comments": [
            {
                "author": "anna",
                "language": "en",
                "body": "They were installed last summer and are always busy. Thank you!",
                "replies": [],
            }
        ],
    },
    {
        "area": "mariannenplatz",
        "field": "integration",
        "language": "tr",
        "title": "Bethanien bahçesinde çok dilli masal günü",
        "body": (
            "Mahallemizdeki çocuklar için Bethanien'in bahçesinde Türkçe, Almanca ve Arapça "
            "masalların okunduğu bir gün düzenlemek istiyoruz. Anne babalar da kendi "
            "çocukluklarından masallar anlatabilir."
        ),
        "place": "Mariannenplatz, Bethanien",
        "author": "emre",
        "days_ago": 270,
        "status": "implemented",
        "supporters": ["jonas", "anna"],
        "comments": [
            {
                "author": "jonas",
                "language": "de",
                "body": "Das war ein schöner Nachmittag, gern wieder!",
                "replies": [],
            }
        ],
    },
    {
        "area": "mariannenplatz",
        "field": "climate",
        "language": "en",
        "title": "Rainwater tanks for the community garden",
        "body": (
            "The community garden beds near the square are watered with tap water all summer. "
            "Collecting rainwater from nearby roofs in a few large tanks would save water and "
            "money. A simple guide is available at https://example.org/rainwater-gardening"
        ),
        "place": "Mariannenplatz",
        "author": "anna",
        "days_ago": 300,
        "status": "accepted",
        "supporters": ["jonas"],
        "comments": [],
    },
    # --- Düttmann-Siedlung (archive) ----------------------------------------
    {
        "area": "duettmann-siedlung",
        "field": "public-space",
        "language": "tr",
        "title": "Siedlung'un iç avlusundaki oyun alanının yenilenmesi",
        "body": (
            "İç avludaki oyun alanı çok eski ve bazı oyuncaklar kırık. Çocukların ve ailelerin "
            "fikirleri alınarak yeni bir oyun alanı planlanmasını öneriyoruz."
        ),
        "place": "Düttmann-Siedlung, Innenhof",
        "author": "hueseyin",
        "days_ago": 280,
        "status": "implemented",
        "supporters": ["mariam"],
        "comments": [
            {
                "author": "mariam",
                "language": "ar",
                "body": "شارك أطفالي في التخطيط، وهم سعداء جداً بالملعب الجديد.",
                "replies": [],
            }
        ],
    },
    {
        "area": "duettmann-siedlung",
        "field": "integration",
        "language": "ar",
        "title": "مطبخ الجيران في مركز الحي",
        "body": (
            "نقترح أن يُفتح مطبخ مركز الحي مرة في الأسبوع ليطبخ فيه الجيران معاً ويتناولوا الطعام. "
            "هذا يقرّب بين العائلات من ثقافات مختلفة ويخفّف من الشعور بالوحدة."
        ),
        "place": None,
        "author": "mariam",
        "days_ago": 260,
        "status": "accepted",
        "supporters": ["hueseyin"],
        "comments": [
            {
                "author": "hueseyin",
                "language": "tr",
                "body": "Ben de gelirim, yanımda baklava getiririm.",
                "replies": [],
            }
        ],
    },
]


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------


def check() -> None:
    """Assert the invariants of the demo content."""
    # Areas
    expected_areas = [
        ("mehringplatz", "Mehringplatz", "active"),
        ("wassertorplatz", "Wassertorplatz", "active"),
        ("zentrum-kreuzberg", "Zentrum Kreuzberg/Oranienstraße", "active"),
        ("mariannenplatz", "Mariannenplatz", "consolidation"),
        ("duettmann-siedlung", "Düttmann-Siedlung", "consolidation"),
    ]
    assert [(a["slug"], a["name"], a["status"]) for a in AREAS] == expected_areas
    for area in AREAS:
        assert sorted(area["description"]) == sorted(LANGUAGES), area["slug"]
        assert all(text.strip() for text in area["description"].values()), area["slug"]
        if area["status"] == "consolidation":
            assert "Verstetigung" in area["description"]["de"], area["slug"]
            assert "Archiv" in area["description"]["de"], area["slug"]
    area_slugs = {a["slug"] for a in AREAS}
    active = {a["slug"] for a in AREAS if a["status"] == "active"}
    consolidation = area_slugs - active

    # Fields of action
    field_keys = [f["key"] for f in FIELDS_OF_ACTION]
    assert field_keys == [
        "integration",
        "education",
        "public-space",
        "health",
        "participation",
        "climate",
    ]
    for field in FIELDS_OF_ACTION:
        assert sorted(field["name"]) == sorted(LANGUAGES), field["key"]
        assert field["cross_cutting"] == (field["key"] == "climate"), field["key"]

    # Guiding visions
    assert set(CONCEPT_VISION) == active
    for slug, vision in CONCEPT_VISION.items():
        assert sorted(vision) == sorted(LANGUAGES), slug
        assert all(text.strip() for text in vision.values()), slug

    # Users
    keys = [u["key"] for u in USERS]
    emails = [u["email"] for u in USERS]
    assert len(keys) == len(set(keys)), "duplicate user keys"
    assert len(emails) == len(set(emails)), "duplicate e-mail addresses"
    assert all(e.endswith("@demo.example.org") for e in emails)
    for required in (
        "resident@demo.example.org",
        "business@demo.example.org",
        "owner@demo.example.org",
        "manager-mehringplatz@demo.example.org",
        "manager-wassertorplatz@demo.example.org",
        "manager-zentrum-kreuzberg@demo.example.org",
        "admin@demo.example.org",
    ):
        assert required in emails, required
    users = {u["key"]: u for u in USERS}
    assert len(USERS) >= 20
    for user in USERS:
        assert user["locale"] in LANGUAGES, user["key"]
        assert set(user["roles"]) <= area_slugs, user["key"]
        assert set(user["manager_of"]) <= active, user["key"]
        for roles in user["roles"].values():
            assert roles and len(roles) == len(set(roles)), user["key"]
        if not user["manager_of"] and not user["admin"]:
            assert set(user["roles"]) & active, user["key"]
    for slug in active:
        assert users[f"manager-{slug}"]["manager_of"] == [slug]
    assert users["admin"]["admin"]
    assert "resident" in users["resident"]["roles"]["mehringplatz"]
    assert any("business" in r for r in users["business"]["roles"].values())
    assert any("owner" in r for r in users["owner"]["roles"].values())

    def is_member(user_key: str, slug: str) -> bool:
        return slug in users[user_key]["roles"]

    def may_comment(user_key: str, slug: str) -> bool:
        return is_member(user_key, slug) or slug in users[user_key]["manager_of"]

    # Ideas
    assert len(IDEAS) >= 48
    per_area = {slug: 0 for slug in area_slugs}
    per_language = {language: 0 for language in LANGUAGES}
    links = 0
    for idea in IDEAS:
        slug = idea["area"]
        title = idea["title"]
        assert slug in area_slugs, title
        assert idea["field"] in field_keys, title
        assert idea["language"] in LANGUAGES, title
        assert 0 < len(title) <= 120, title
        assert 0 < len(idea["body"]) <= 2000, title
        assert idea["place"] is None or idea["place"].strip(), title
        assert 1 <= idea["days_ago"] <= 300, title
        assert idea["status"] in ("new", "under_review", "accepted", "rejected", "implemented")
        assert is_member(idea["author"], slug), title
        supporters = idea["supporters"]
        assert len(supporters) <= 12, title
        assert len(supporters) == len(set(supporters)), title
        assert idea["author"] not in supporters, title
        assert all(is_member(s, slug) for s in supporters), title
        assert len(idea["comments"]) <= 4, title
        for comment in idea["comments"]:
            assert may_comment(comment["author"], slug), title
            assert comment["language"] in LANGUAGES, title
            assert comment["body"].strip(), title
            assert len(comment["replies"]) <= 2, title
            for reply in comment["replies"]:
                assert may_comment(reply["author"], slug), title
                assert reply["language"] in LANGUAGES, title
                assert reply["body"].strip(), title
        per_area[slug] += 1
        per_language[idea["language"]] += 1
        if "https://example.org/" in idea["body"]:
            links += 1
    for slug in active:
        assert per_area[slug] >= 14, slug
    for slug in consolidation:
        assert 2 <= per_area[slug] <= 3, slug
    assert all(count > 0 for count in per_language.values())
    assert per_language["de"] >= 18
    assert per_language["tr"] >= 8
    assert per_language["ar"] >= 8
    assert per_language["en"] >= 6
    assert links >= 3
    new = sum(1 for idea in IDEAS if idea["status"] == "new")
    assert new * 2 > len(IDEAS), "most ideas should be new"
    assert any(any(c["replies"] for c in idea["comments"]) for idea in IDEAS)


if __name__ == "__main__":
    check()


MODERATION = {
    # Wassertorplatz tries pre-moderation: new ideas and comments wait for the QM team.
    "premoderated": ["wassertorplatz"],
    "pending_ideas": [
        {
            "area": "wassertorplatz",
            "field": "public-space",
            "author": "fatma",
            "language": "tr",
            "title": "Wassertorplatz'ta köpekler için çitle çevrili bir alan",
            "body": (
                "Parkta çok köpek var ve çocuklar oyun alanında korkuyor. Küçük, çitle çevrili "
                "bir köpek alanı herkes için iyi olur."
            ),
        },
    ],
    # Comments on existing ideas of the area, with the reports members made about them.
    "reported_comments": [
        {
            "area": "mehringplatz",
            "author": "sophie",
            "language": "de",
            "body": (
                "Günstige Sonnenbrillen und Uhren! Nur heute 70 % Rabatt, "
                "bestellen Sie jetzt unter www.beispiel-shop.invalid"
            ),
            "reports": [("resident", "spam", ""), ("ayse", "spam", "Werbung")],
        },
        {
            "area": "mehringplatz",
            "author": "ingrid",
            "language": "de",
            "body": (
                "Fragt doch Frau Schulz aus dem Haus Nr. 3, Telefon 0176 0000000, "
                "die weiß alles über den Hof."
            ),
            "reports": [("omar", "personal_data", "Telefonnummer einer Nachbarin")],
        },
    ],
    # A comment the demo manager hid, whose author asked for a review.
    "hidden_comments": [
        {
            "area": "mehringplatz",
            "author": "rania",
            "language": "de",
            "body": "Wer so etwas vorschlägt, hat keine Ahnung und sollte wegziehen.",
            "category": "insult",
            "reason": (
                "Bitte kritisieren Sie Vorschläge, nicht Menschen. Der letzte Satz greift "
                "andere Nachbarinnen und Nachbarn persönlich an."
            ),
            "review": "Ich wollte niemanden beleidigen. Ich nehme den letzten Satz gern zurück.",
        },
    ],
}
"""Moderation in the demo: something in the queue for each demo manager to try."""


PROPOSALS: list[dict[str, Any]] = [
    # Mehringplatz: the vote is running now.
    {
        "area": "mehringplatz",
        "field": "public-space",
        "fund": "building",
        "amount": 180_000,
        "ideas": ["Schattenbäume für den inneren Ring des Mehringplatzes"],
        "title": {
            "de": "Schattenbäume und Sitzplätze im inneren Ring",
            "tr": "İç halkada gölge veren ağaçlar ve oturma yerleri",
            "ar": "أشجار ظليلة ومقاعد في الحلقة الداخلية",
            "en": "Shade trees and seats in the inner ring",
        },
        "description": {
            "de": (
                "Zwölf Bäume mit großen Kronen und acht Bänke mit Rückenlehne im inneren Ring "
                "des Platzes, abgestimmt mit dem Grünflächenamt."
            ),
            "tr": (
                "Meydanın iç halkasına geniş taçlı on iki ağaç ve sırtlıklı sekiz bank; park "
                "dairesi ile birlikte planlanır."
            ),
            "en": (
                "Twelve trees with wide crowns and eight benches with backrests in the inner "
                "ring of the square, planned with the parks department."
            ),
        },
        "effect": {
            "de": "Kühle Orte im Sommer, vor allem für Ältere und Familien mit kleinen Kindern.",
        },
    },
    {
        "area": "mehringplatz",
        "field": "integration",
        "fund": "action",
        "amount": 1_200,
        "ideas": ["Ayda bir Türkçe-Almanca kadın kahvaltısı"],
        "title": {
            "de": "Monatliches Frauenfrühstück auf Deutsch und Türkisch",
            "tr": "Ayda bir Almanca-Türkçe kadın kahvaltısı",
            "ar": "فطور شهري للنساء بالألمانية والتركية",
        },
        "description": {
            "de": (
                "Ein Frühstück im Nachbarschaftsraum an jedem ersten Samstag, mit "
                "Kinderbetreuung; Lebensmittel und Material aus dem Aktionsfonds."
            ),
            "tr": (
                "Her ayın ilk cumartesi komşuluk odasında kahvaltı, çocuk bakımı ile; "
                "yiyecek ve malzeme Aktionsfonds'tan."
            ),
        },
        "effect": {"de": "Nachbarinnen lernen sich kennen, auch über die Sprachen hinweg."},
    },
    {
        "area": "mehringplatz",
        "field": "education",
        "fund": "project",
        "amount": 24_000,
        "ideas": ["ساعة قراءة للأطفال باللغتين العربية والألمانية"],
        "title": {
            "de": "Zweisprachige Lesestunden für Kinder",
            "ar": "ساعات قراءة ثنائية اللغة للأطفال",
            "en": "Bilingual reading hours for children",
        },
        "description": {
            "de": (
                "Zwei Jahre lang jede Woche Lesestunden auf Arabisch und Deutsch, Türkisch und "
                "Deutsch in der Stadtteilbibliothek, mit Honoraren für die Vorleserinnen."
            ),
            "ar": (
                "لمدة عامين، ساعات قراءة أسبوعية بالعربية والألمانية والتركية والألمانية في "
                "مكتبة الحي، مع مكافآت للقارئات."
            ),
        },
        "effect": {"de": "Kinder lesen mehr und erleben ihre Familiensprachen als Stärke."},
    },
    # Wassertorplatz: the proposals are open for comments.
    {
        "area": "wassertorplatz",
        "field": "health",
        "fund": "project",
        "amount": 8_500,
        "ideas": [],
        "title": {
            "de": "Bewegungsparcours für alle Generationen",
            "tr": "Her yaştan insan için hareket parkuru",
            "en": "An exercise trail for all generations",
        },
        "description": {
            "de": "Sechs Stationen im Park mit Anleitungen in mehreren Sprachen.",
            "tr": "Parkta birçok dilde açıklamalı altı istasyon.",
        },
        "effect": {"de": "Mehr Bewegung im Alltag, kostenlos und draußen."},
    },
    {
        "area": "wassertorplatz",
        "field": "participation",
        "fund": "action",
        "amount": 900,
        "ideas": [],
        "title": {
            "de": "Kiezversammlungen mit Übersetzung",
            "ar": "اجتماعات الحي مع ترجمة",
        },
        "description": {
            "de": "Zwei Kiezversammlungen im Jahr mit Dolmetscherinnen für Türkisch und Arabisch.",
        },
        "effect": {"de": "Mehr Menschen aus dem Kiez reden mit."},
    },
    # Zentrum Kreuzberg: the vote is over; the Quartiersrat has decided.
    {
        "area": "zentrum-kreuzberg",
        "field": "public-space",
        "fund": "project",
        "amount": 12_000,
        "ideas": [],
        "title": {
            "de": "Saubere Hauseingänge an der Oranienstraße",
            "tr": "Oranienstraße'de temiz bina girişleri",
        },
        "description": {
            "de": "Gemeinsame Putzaktionen, mehr Mülleimer und Schilder in vier Sprachen.",
        },
        "effect": {"de": "Weniger Müll und mehr Rücksicht vor den Häusern."},
        "steps": [("decided", 20, ""), ("funded", 8, "")],
    },
    {
        "area": "zentrum-kreuzberg",
        "field": "integration",
        "fund": "action",
        "amount": 1_500,
        "ideas": [],
        "title": {"de": "Straßenfest der Gewerbetreibenden", "en": "A street party of the shops"},
        "description": {"de": "Ein Fest der Läden und Cafés mit Musik aus dem Kiez."},
        "effect": {"de": "Die Gewerbetreibenden und die Nachbarschaft lernen sich kennen."},
        "steps": [("dropped", 15, "Der Quartiersrat fördert stattdessen das Hoffest im Juni.")],
    },
]
"""Proposals (measures) of the current concepts, with the ideas they came from (by title)."""

PROCESSES: dict[str, dict[str, Any]] = {
    # Days relative to the day the demo data is loaded: each phase as (first day, last day).
    "mehringplatz": {
        "voter_roles": ["resident", "business", "owner", "institution"],
        "verified_only": False,
        "phases": {
            "ideas": (-60, -31),
            "consultation": (-30, -8),
            "voting": (-7, 14),
            "decision": (15, 45),
            "implementation": (46, 800),
        },
        "votes": {"resident": "yes", "ayse": "yes", "omar": "abstain", "sophie": "no"},
    },
    "wassertorplatz": {
        "voter_roles": ["resident", "business"],
        "verified_only": True,
        "phases": {
            "ideas": (-40, -11),
            "consultation": (-10, 20),
            "voting": (21, 35),
            "decision": (36, 60),
        },
        "votes": {},
    },
    "zentrum-kreuzberg": {
        "voter_roles": [],
        "verified_only": False,
        "show_running_totals": False,
        "phases": {
            "ideas": (-120, -91),
            "consultation": (-90, -61),
            "voting": (-60, -31),
            "decision": (-30, -1),
            "implementation": (0, 700),
        },
        "votes": {"karim": "yes", "nour": "yes", "anna": "no", "jonas": "yes", "emre": "abstain"},
    },
}
"""The participation process of each active area's current concept."""
