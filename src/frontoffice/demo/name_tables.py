"""Hand-written name tables for the Latin- and Cyrillic-script countries (US, DE, RU).

Given names are ``(gender, native, extra_spellings)``: ``extra_spellings`` are the nicknames or
alternative spellings a person also types (``William`` → ``Bill``, ``Александр`` → ``Саша``).
Family names are ``(native, extra_spellings)``. German umlaut foldings (``ü`` → ``ue``/``u``)
and Russian transliterations are derived in :mod:`frontoffice.demo.names`, not written here.
Rows are ordered from most to least common; the generator samples them with rank weights.
"""

from __future__ import annotations

GivenRow = tuple[str, str, tuple[str, ...]]
FamilyRow = tuple[str, tuple[str, ...]]

US_FAMILY: tuple[FamilyRow, ...] = (
    ("Smith", ()), ("Johnson", ()), ("Williams", ()), ("Brown", ()), ("Jones", ()),
    ("Garcia", ()), ("Miller", ()), ("Davis", ()), ("Rodriguez", ()), ("Martinez", ()),
    ("Hernandez", ()), ("Lopez", ()), ("Gonzalez", ()), ("Wilson", ()), ("Anderson", ()),
    ("Thomas", ()), ("Taylor", ()), ("Moore", ()), ("Jackson", ()), ("Martin", ()),
    ("Lee", ()), ("Perez", ()), ("Thompson", ()), ("White", ()), ("Harris", ()),
    ("Sanchez", ()), ("Clark", ()), ("Ramirez", ()), ("Lewis", ()), ("Robinson", ()),
    ("O'Brien", ("OBrien", "O Brien")), ("McDonald", ("Mcdonald", "MacDonald")),
)

US_GIVEN: tuple[GivenRow, ...] = (
    ("m", "James", ("Jim", "Jimmy")), ("f", "Mary", ()), ("m", "Robert", ("Bob", "Rob")),
    ("f", "Patricia", ("Pat", "Patty")), ("m", "John", ("Jack", "Johnny")),
    ("f", "Jennifer", ("Jen", "Jenny")), ("m", "Michael", ("Mike",)), ("f", "Linda", ()),
    ("m", "David", ("Dave",)), ("f", "Elizabeth", ("Liz", "Beth")), ("m", "William", ("Bill", "Will")),
    ("f", "Barbara", ("Barb",)), ("m", "Richard", ("Rick",)), ("f", "Susan", ("Sue",)),
    ("m", "Joseph", ("Joe",)), ("f", "Jessica", ("Jess",)), ("m", "Thomas", ("Tom",)),
    ("f", "Sarah", ()), ("m", "Christopher", ("Chris",)), ("f", "Karen", ()),
    ("m", "Daniel", ("Dan", "Danny")), ("f", "Margaret", ("Maggie", "Peggy")),
    ("m", "Matthew", ("Matt",)), ("f", "Emily", ()), ("m", "Anthony", ("Tony",)),
    ("f", "Ashley", ()), ("m", "Andrew", ("Andy", "Drew")), ("f", "Olivia", ("Liv",)),
    ("m", "Joshua", ("Josh",)), ("f", "Emma", ()), ("m", "Benjamin", ("Ben",)),
    ("f", "Katherine", ("Kate", "Katie")), ("f", "Rebecca", ("Becky",)), ("f", "Samantha", ("Sam",)),
)

DE_FAMILY: tuple[FamilyRow, ...] = (
    ("Müller", ()), ("Schmidt", ()), ("Schneider", ()), ("Fischer", ()), ("Weber", ()),
    ("Meyer", ()), ("Wagner", ()), ("Becker", ()), ("Schulz", ()), ("Hoffmann", ()),
    ("Schäfer", ()), ("Koch", ()), ("Bauer", ()), ("Richter", ()), ("Klein", ()),
    ("Wolf", ()), ("Schröder", ()), ("Neumann", ()), ("Schwarz", ()), ("Zimmermann", ()),
    ("Braun", ()), ("Krüger", ()), ("Hofmann", ()), ("Hartmann", ()), ("Lange", ()),
    ("Schmitt", ()), ("Werner", ()), ("Krause", ()), ("Meier", ()), ("Lehmann", ()),
    ("Köhler", ()), ("Weiß", ()), ("Jäger", ()), ("Groß", ()), ("Böhm", ()),
    ("Vogel", ()), ("Fuchs", ()), ("Günther", ()), ("Schütz", ()), ("Möller", ()),
)

DE_GIVEN: tuple[GivenRow, ...] = (
    ("m", "Lukas", ("Lucas",)), ("f", "Anna", ()), ("m", "Jürgen", ()), ("f", "Julia", ()),
    ("m", "Thomas", ()), ("f", "Sabine", ()), ("m", "Michael", ()), ("f", "Laura", ()),
    ("m", "Stefan", ("Stephan",)), ("f", "Sophie", ("Sofie",)), ("m", "Andreas", ()),
    ("f", "Lena", ()), ("m", "Jörg", ()), ("f", "Katharina", ("Kathi",)), ("m", "Björn", ()),
    ("f", "Hannah", ("Hanna",)), ("m", "Sören", ()), ("f", "Bärbel", ()), ("m", "Günter", ()),
    ("f", "Ursula", ("Uschi",)), ("m", "Klaus", ()), ("f", "Käthe", ()), ("m", "Tobias", ("Tobi",)),
    ("f", "Dörte", ()), ("m", "Maximilian", ("Max",)), ("f", "Claudia", ()), ("m", "Jonas", ()),
    ("f", "Marie", ()), ("m", "Uwe", ()), ("f", "Mareike", ()), ("m", "Felix", ()), ("f", "Jana", ()),
)

RU_FAMILY: tuple[FamilyRow, ...] = (
    ("Иванов", ()), ("Смирнов", ()), ("Кузнецов", ()), ("Попов", ()), ("Васильев", ()),
    ("Петров", ()), ("Соколов", ()), ("Михайлов", ()), ("Новиков", ()), ("Фёдоров", ()),
    ("Морозов", ()), ("Волков", ()), ("Алексеев", ()), ("Лебедев", ()), ("Семёнов", ()),
    ("Егоров", ()), ("Павлов", ()), ("Козлов", ()), ("Степанов", ()), ("Николаев", ()),
    ("Орлов", ()), ("Андреев", ()), ("Макаров", ()), ("Никитин", ()), ("Захаров", ()),
    ("Зайцев", ()), ("Соловьёв", ()), ("Борисов", ()), ("Яковлев", ()), ("Григорьев", ()),
    ("Воробьёв", ()), ("Жуков", ()), ("Ковалёв", ()), ("Щербаков", ()), ("Вишневский", ()),
    ("Хабибуллин", ()),
)

RU_GIVEN: tuple[GivenRow, ...] = (
    ("m", "Александр", ("Саша",)), ("f", "Анна", ("Аня",)), ("m", "Алексей", ("Лёша",)),
    ("f", "Мария", ("Маша",)), ("m", "Дмитрий", ("Дима",)), ("f", "Елена", ("Лена",)),
    ("m", "Сергей", ()), ("f", "Ольга", ("Оля",)), ("m", "Андрей", ()), ("f", "Наталья", ("Наташа",)),
    ("m", "Михаил", ("Миша",)), ("f", "Татьяна", ("Таня",)), ("m", "Иван", ("Ваня",)),
    ("f", "Екатерина", ("Катя",)), ("m", "Николай", ()), ("f", "Юлия", ("Юля",)),
    ("m", "Евгений", ("Женя",)), ("f", "Ксения", ()), ("m", "Владимир", ("Вова",)),
    ("f", "Светлана", ("Света",)), ("m", "Павел", ()), ("f", "Ирина", ()), ("m", "Артём", ()),
    ("f", "Дарья", ("Даша",)), ("m", "Максим", ()), ("f", "Анастасия", ("Настя",)),
    ("m", "Юрий", ()), ("f", "Софья", ()), ("m", "Игорь", ()), ("f", "Алёна", ()),
    ("m", "Кирилл", ()), ("f", "Людмила", ("Люда",)), ("m", "Илья", ()),
)
