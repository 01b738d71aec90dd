"""Name tables for the Latin- and Cyrillic-script countries (US, DE, RU), written for the demo.

Each table is one string, split at run time by :mod:`frontoffice.demo.names`: entries are
separated by whitespace, most common first; ``Name=Alt1,Alt2`` lists the nicknames or other
spellings a person also types (``William=Bill,Will``, ``Александр=Саша``), ``_`` stands for a space.
Given-name tables come per gender. The generator samples entries with Zipf weights over their
rank (exponents in :mod:`frontoffice.demo.names`): a few hundred family names and a couple of
hundred given names per gender give what a real population of a few thousand shows: a few
percent of people share their whole name with someone else. German umlaut foldings and Russian
transliterations and feminine forms are derived in :mod:`frontoffice.demo.names`.
"""

from __future__ import annotations

US_FAMILY = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez
Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens
Harrison Fernandez McDonald=Mcdonald,MacDonald Woods Washington Kennedy Wells Vargas Henry Chen
Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw
Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox
Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner
Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley
Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado
Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval
Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler Valdez Harper Burke Larson
Santiago Maldonado Morrison Franklin Carlson Austin Dominguez Carr Lawson Jacobs
O'Brien=OBrien,O_Brien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey Williamson Gilbert
Dean Sims Espinoza Howell Reid Hanson McCoy Garrett Burton Fuller Weber Welch Rojas Lucas Marquez
Fields Little Banks Padilla Day Walsh Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer May
Holland Juarez Newman Pearson Curtis Cortez Douglas Schneider Barrett Navarro Figueroa Keller Avila
Wade Molina Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig
Ayala Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz
Norris Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele Vaughn Becker Holt Barker
Terry Hale Benson Haynes Horton Miles Lyons Graves Bush Thornton Wolfe Warner Cabrera McKinney Mann
Zimmerman Dawson Lara Fletcher Page McCarthy Love Robles Cervantes Solis Erickson Reeves Klein
Salinas Fuentes Baldwin Simon Velasquez Hardy Higgins Aguirre Cummings Chandler Sharp Barber Bowen
Ochoa Dennis Robbins Ramsey Francis Griffith Blair Whitaker Brennan Gallagher Doyle
"""

US_GIVEN_M = """
James=Jim,Jimmy Robert=Bob,Rob John=Jack,Johnny Michael=Mike David=Dave William=Bill,Will
Richard=Rick Joseph=Joe Thomas=Tom Christopher=Chris Charles=Charlie Daniel=Dan,Danny Matthew=Matt
Anthony=Tony Mark Donald Steven=Steve Andrew=Andy,Drew Paul Joshua=Josh Kenneth=Ken Kevin Brian
George Timothy=Tim Ronald=Ron Jason Edward=Ed,Ted Jeffrey=Jeff Ryan Jacob=Jake Gary Nicholas=Nick
Eric Jonathan=Jon Stephen=Steve Larry Justin Scott Brandon Benjamin=Ben Samuel=Sam Gregory=Greg
Alexander=Alex Patrick=Pat Frank Raymond=Ray Jack Dennis Jerry Tyler Aaron Jose Adam Nathan=Nate
Henry Zachary=Zach Douglas=Doug Peter=Pete Kyle Noah Ethan Jeremy Christian Walter Keith Austin
Roger Terry Sean Gerald Carl Dylan Harold Jordan Jesse Bryan Lawrence Arthur Gabriel Bruce Logan
Billy Alan Juan Elijah Willie Albert Wayne Randy Mason Vincent Liam Roy Bobby Caleb Bradley Russell
Lucas Oliver Owen Connor Evan Hunter Isaac Luke Carter Wyatt Julian Landon Hudson Grayson Levi Leo
Miles Jaxon Asher Mateo Theodore=Ted,Theo Sebastian Ezra Colton Dominic Jeremiah Xavier Adrian Blake
Chase Cole Derek Dustin Travis Shane Marcus Victor Martin Spencer Trevor Garrett Preston Seth Wesley
Calvin Clayton Curtis Howard Phillip Craig Todd Jared Corey Shawn Micah Brody Gavin
"""

US_GIVEN_F = """
Mary Patricia=Pat,Patty Jennifer=Jen,Jenny Linda Elizabeth=Liz,Beth Barbara=Barb Susan=Sue
Jessica=Jess Sarah Karen Lisa Nancy Betty Margaret=Maggie,Peggy Sandra Ashley Kimberly Emily Donna
Michelle Carol Amanda Dorothy Melissa Deborah=Debbie Stephanie Rebecca=Becky Sharon Laura Cynthia
Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha=Sam Katherine=Kate,Katie
Christine=Chris Debra Rachel Carolyn Janet Catherine=Cathy Maria Heather Diane Ruth Julie Olivia
Joyce Virginia Victoria=Vicky Kelly Lauren Christina=Tina Joan Evelyn Judith Megan Andrea Cheryl
Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail=Abby
Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie
Brittany Charlotte Marie Kayla Alexis Lori Ava Mia Harper Ella Scarlett Chloe Zoe Lily Aria Layla
Nora Hazel Aurora Violet Stella Lucy Paisley Naomi Elena Riley Claire Savannah Audrey Brooklyn Leah
Allison Caroline Madeline Kaitlyn Jasmine Vanessa Erin Tiffany Crystal Courtney Erica Monica Tracy
Wendy Dana Holly Molly Paige Morgan Brianna Jenna Alyssa Gabrielle Sydney Taylor Autumn Bethany
"""

DE_FAMILY = """
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt
Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber
Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank
Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus
Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber
Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold
Wolff Pfeiffer Ernst Hübner Kühne Lindner Böttcher Wenzel Schwab Barth Ebert Kirchner Brinkmann
Kramer Beyer Hildebrandt Funk Marx Köster Schenk Kraft Stark Schilling Hoppe Rieger Dörr Kunz Fritz
Witt Reuter Nowak Bock Busse Schindler Ullrich Wiegand Arndt Heinz Seifert Ritter Lutz Mohr Fiedler
Gebhardt Vetter Rausch Stahl Heller Brand Ahrens Thiel Seiler Haase Petersen Baier Schütz Weise
Jansen Marquardt Lenz Schramm Bender Riedel Dittrich Hein Bach Dietz Rupp Hanke Strauß Keßler
Förster Nagel Frey Wendt Sturm Bär Löffler Michel Thiele Schreiner Blum Hennig Wolter Kurz Voß
Winkelmann Eckert Menzel Wirth Göbel Jakob Kroll Oswald Held Schüler Hesse Geiger Gerlach Blank
Philipp Engelhardt Büttner Hagen Ott Pieper Wilhelm Unger Kurth Böhme Sander Konrad Fröhlich Rothe
Brückner Schade Ackermann Heinemann Zimmer Hauser Behrens Stephan Decker Hartung Scheffler Ebeling
"""

DE_GIVEN_M = """
Lukas=Lucas Jürgen Thomas Michael Stefan=Stephan Andreas Jörg Björn Sören Günter Klaus Tobias=Tobi
Maximilian=Max Jonas Uwe Felix Peter Wolfgang Frank Dieter Manfred Hans Werner Horst Ralf Bernd
Helmut Gerhard Heinz Rainer Sven Markus Christian Martin Matthias Alexander Daniel Sebastian Florian
Jan Tim Niklas Leon Paul Ben Finn Elias Noah Luca Julian Moritz David Philipp Simon Jannik Fabian
Dominik Kevin Dennis Marcel Patrick Dirk Holger Torsten Volker Karl Heinrich Friedrich=Fritz Ernst
Otto Walter Kurt Georg Johannes=Hans Benedikt Konstantin Till Henrik Anton Emil Oskar Theo Mats
Malte Lennart Nils Kai Lars Oliver Carsten Jens Olaf Norbert Reinhard Rüdiger Joachim Gregor Hendrik
Marius Valentin Vincent Erik Robin Jakob Hannes Timo Steffen Mirko Ingo Detlef Hartmut
"""

DE_GIVEN_F = """
Anna Julia Sabine Laura Sophie=Sofie Lena Katharina Hannah=Hanna Bärbel Ursula Käthe Dörte Claudia
Marie Mareike Jana Petra Monika Andrea Susanne Stefanie Nicole Birgit Karin Heike Gabriele Renate
Christine Martina Anja Sandra Tanja Nadine Melanie Katrin Kerstin Silke Simone Daniela Nina Sarah
Lisa Lea Emma Mia Leonie Johanna Charlotte Clara Emilia Amelie Luisa Lara Maja Greta Ida Frieda Mila
Paula Ella Helene Annika Carolin Franziska Jennifer Vanessa Jasmin Janina Miriam Svenja Theresa
Elisabeth Ingrid Helga Gisela Brigitte Erika Ilse Hildegard Gudrun Waltraud Jutta Elke Angelika
Doris Marion Regina Britta Anke Maren Wiebke Merle Jule Ronja Pia Antonia Magdalena Rosa Sophia
Marlene Josephine Alina Nele Finja Zoe Sina Ute Bettina Cornelia Dagmar Manuela Yvonne
"""

RU_FAMILY = """
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков
Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов
Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов
Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов
Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков
Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов
Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев
Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов
Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин
Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин
Митрофанов Воронцов Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков
Сафонов Плотников Дёмин Хохлов Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Дементьев Рябов Мухин
Калашников Леонтьев Лобанов Кузин Корнилов Евдокимов Бородин Платонов Некрасов Балашов Бобров Жданов
Блинов Игнатьев Коротков Муравьёв Крюков Беляков Богомолов Дроздов Лавров Зуев Петухов Ларин Никулин
Серов Терентьев Зотов Устинов Фокин Самойлов Константинов Сахаров Шишкин Самсонов Черкасов Чистяков
Носов Спиридонов Карасёв Авдеев Воронов Зиновьев Вишневский Хабибуллин Шевченко Бондаренко Ковальчук
Покровский Успенский Рахимов Галиев
"""

RU_GIVEN_M = """
Александр=Саша Алексей=Лёша Дмитрий=Дима Сергей Андрей Михаил=Миша Иван=Ваня Николай Евгений=Женя
Владимир=Вова Павел Артём Максим Юрий Игорь Кирилл Илья Роман Олег Виктор Денис Антон Никита Василий
Константин Вадим Георгий Григорий Борис Валерий Анатолий Егор Тимофей Матвей Даниил Марк Лев Фёдор
Степан Глеб Ярослав Арсений Станислав Руслан Геннадий Леонид Вячеслав Виталий Аркадий Семён Пётр
Тимур Эдуард Филипп Захар Савелий Богдан Всеволод Святослав Ростислав Валентин Владислав Эльдар
Рустам Ринат Платон Мирон Демид Елисей Артур Арсен Эмиль Юлиан Родион Макар
"""

RU_GIVEN_F = """
Анна=Аня Мария=Маша Елена=Лена Ольга=Оля Наталья=Наташа Татьяна=Таня Екатерина=Катя Юлия=Юля Ксения
Светлана=Света Ирина Дарья=Даша Анастасия=Настя Софья Алёна Людмила=Люда Марина Галина Надежда Вера
Любовь Валентина Нина Лариса Оксана Виктория Полина Алина Кристина Евгения Алиса Варвара Вероника
Ульяна Александра Елизавета Маргарита Яна Диана Валерия Арина Василиса Милана Ева Таисия Зоя Лидия
Раиса Тамара Инна Жанна Нелли Эльвира Олеся Ангелина Карина Регина Камила Майя Мирослава Злата
Есения Стефания Агата Влада Антонина Клавдия Римма Снежана Эвелина Лилия
"""
