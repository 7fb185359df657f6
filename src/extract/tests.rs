//! Tests on the seeds' phrases and other examples.

use super::*;

fn cities(text: &str, lang: Language) -> Vec<&'static str> {
    extract(text, Some(lang))
        .cities
        .iter()
        .map(|c| c.name)
        .collect()
}

fn countries(text: &str, lang: Language) -> Vec<&'static str> {
    extract(text, Some(lang))
        .countries
        .iter()
        .map(|c| c.code.as_str())
        .collect()
}

#[test]
fn lithuanian_seed_phrases() {
    let lt = Language::Lithuanian;
    assert_eq!(
        cities("Pasirašyti Panevėžio ir Tojohašio miestų protokolą.", lt),
        ["Panevėžys", "Toyohashi"]
    );
    assert_eq!(
        cities(
            "Japonijoje užmegzti kontaktai su Tojohašio ir Hiracukos miestų vadovais",
            lt
        ),
        ["Toyohashi", "Hiratsuka"]
    );
    assert_eq!(
        cities(
            "bei Utenos, Druskininkų, Prienų ir Biržų savivaldybių specialistai",
            lt
        ),
        ["Utena", "Druskininkai", "Prienai", "Biržai"]
    );
    assert_eq!(countries("robotikos srityje Japonijoje.", lt), ["JP"]);
    assert_eq!(countries("partneriai iš Norvegijos karalystės", lt), ["NO"]);
}

#[test]
fn lithuanian_hard_cases() {
    let lt = Language::Lithuanian;
    assert!(cities("Sargūno sporto gimnazijos direktorei.", lt).is_empty());
    assert!(cities(
        "Taip pat aplankytas Tokai universiteto centras Japonijoje.",
        lt
    )
    .is_empty());
}

#[test]
fn russian_seed_phrases() {
    let ru = Language::Russian;
    assert_eq!(
        cities("сейчас 5 преподавателей ЛГТУ находятся в Аньшане, где", ru),
        ["Anshan"]
    );
    assert_eq!(
        cities("На просторах Поднебесной: Липецкий Политех наращивает", ru),
        ["Lipetsk"]
    );
    assert_eq!(
        cities(
            "соглашение ЛГТУ с Шэньянским технологическим университетом",
            ru
        ),
        ["Shenyang"]
    );
    assert_eq!(countries("На просторах Поднебесной: визит", ru), ["CN"]);
    assert_eq!(countries("в российских вузах и в РФ", ru), ["RU"]);
    assert_eq!(countries("визит в Китай", ru), ["CN"]);
}

#[test]
fn english_phrases() {
    let en = Language::English;
    assert_eq!(
        countries("The Belgian star moved to the U.S. last year.", en),
        ["BE", "US"]
    );
    assert_eq!(
        cities("He lives in New York and works in Los Angeles.", en),
        ["New York City", "Los Angeles"]
    );
}

#[test]
fn mentions_have_char_offsets() {
    let text = "Визит в Аньшань, Китай.";
    let e = extract(text, Some(Language::Russian));
    let m = &e.mentions[0];
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[m.start..m.end].iter().collect::<String>(), "Аньшань");
    assert_eq!(&text[m.byte_start..m.byte_end], "Аньшань");
    assert_eq!(e.mentions_in(0..text.len()).count(), 2);
}

#[test]
fn seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    type Case<'a> = (&'a str, Language, &'a [u32], &'a [&'a str], u16);
    let cases: [Case<'_>; 3] = [
        (
            "000_50425bdad7869c0e.txt",
            Language::Lithuanian,
            &[596128, 1849846, 1862462],
            &["JP", "LT"],
            2018,
        ),
        (
            "001_5b9a13e5b3a9b552.txt",
            Language::Lithuanian,
            &[593672, 599757, 595596, 600438, 593116],
            &["LT", "NO"],
            2017,
        ),
        (
            "002_d0cb04d3f632cb44.txt",
            Language::Russian,
            &[535121, 2038632, 2034937],
            &["CN", "RU"],
            2023,
        ),
    ];
    for (file, lang, want_cities, want_countries, year) in cases {
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue; // the sample corpus is not part of every checkout
        };
        let e = extract(&text, Some(lang));
        let mut got = e.city_ids();
        got.sort_unstable();
        let mut want = want_cities.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{file}: {:?}", e.cities);
        let mut got: Vec<&str> = e.countries.iter().map(|c| c.code.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, want_countries, "{file}");
        assert_eq!(e.year, Some(Year(year)), "{file}");
    }
}

#[test]
fn context_rules() {
    let ru = Language::Russian;
    let en = Language::English;
    // A one-letter preposition is not an initial.
    assert_eq!(
        cities("Новости дня.\nВ Москве прошёл дождь.", ru),
        ["Moscow"]
    );
    // An initial before a surname that is also a town.
    assert!(cities("Доклад сделал А.И. Королёв из Казани.", ru) == ["Kazan"]);
    // A bank in quotation marks is not its namesake town.
    assert!(cities("рейтинг банка «Пересвет» понизили", ru).is_empty());
    // "Town, State" gives the town its context.
    assert_eq!(
        cities("Palin, 29, of Wasilla, Alaska, was arrested.", en),
        ["Wasilla"]
    );
    // States are not towns.
    assert!(cities("Жители штата Невада голосовали.", ru).is_empty());
}

#[test]
fn nationality_and_language_are_not_countries() {
    let ru = Language::Russian;
    assert!(countries("Известный американский кинорежиссёр Дэвид Линч объявил", ru).is_empty());
    assert!(countries("Он должен владеть английским языком.", ru).is_empty());
    assert_eq!(countries("Санкции против российских компаний.", ru), ["RU"]);
}

#[test]
fn month_names_are_not_towns() {
    let en = Language::English;
    assert!(cities(
        "Production could stop at the end of March if no deal is reached.",
        en
    )
    .is_empty());
}

#[test]
fn titles_and_saints_abbreviated() {
    let en = Language::English;
    assert_eq!(
        cities("The team flew to St. Louis for the final game.", en),
        ["St. Louis"]
    );
    // «Sen.» ends no sentence, so "Aurora" follows a first name.
    assert!(cities("The bill was backed by Sen. Lisa Aurora on Friday.", en).is_empty());
}

#[test]
fn adjectives_before_region_nouns() {
    let ru = Language::Russian;
    assert!(cities("Пожары охватили леса Тверской области.", ru).is_empty());
    assert!(cities("Морозы ожидаются в Пермском крае.", ru).is_empty());
    // A list of adjectives ending in one plural noun.
    assert!(cities(
        "Больше всего случаев в Самарской (88), Тверской (80) и Тульской (64) областях.",
        ru
    )
    .is_empty());
    assert!(cities("Его назначили в Ленинградский военный округ.", ru).is_empty());
}

#[test]
fn town_words_vouch_for_small_places() {
    let ru = Language::Russian;
    assert_eq!(
        cities("Фестиваль прошёл в селе Кижинга на прошлой неделе.", ru),
        ["Kizhinga"]
    );
    assert_eq!(
        cities("Конференция по химии прошла в Нанси в четверг.", ru),
        ["Nancy"]
    );
    let en = Language::English;
    assert_eq!(
        cities("Artists flock to the town of Marfa every summer.", en),
        ["Marfa"]
    );
}

#[test]
fn big_cities_in_latin_titles_in_russian_text() {
    let ru = Language::Russian;
    assert_eq!(
        cities("Об этом сообщила газета Chicago Tribune во вторник.", ru),
        ["Chicago"]
    );
}

#[test]
fn subjects_of_speech_verbs_are_people() {
    let en = Language::English;
    assert!(cities(
        "Aurora said she had never seen the letter. Later Aurora left the room.",
        en
    )
    .is_empty());
}

#[test]
fn institution_nouns_are_not_first_names() {
    let ru = Language::Russian;
    assert_eq!(
        cities("Он окончил аспирантуру Университета Мемфиса.", ru),
        ["Memphis"]
    );
}

#[test]
fn a_person_after_a_town() {
    let ru = Language::Russian;
    assert_eq!(
        cities("Задержан уроженец Твери Олег Смирнов.", ru),
        ["Tver"]
    );
    // But a first name and surname stay a person (Владимира Путина).
    assert!(cities("Встреча Владимира Путина с журналистами.", ru).is_empty());
}

#[test]
fn adjectives_prefer_the_town_they_spell() {
    let ru = Language::Russian;
    assert!(!cities("Фильм показали на Каннском кинофестивале.", ru).contains(&"Kazan"));
    assert_eq!(
        cities("Встреча с тульскими оружейниками прошла вчера.", ru),
        ["Tula"]
    );
}

#[test]
fn russian_ordinary_words_and_adjectives() {
    let ru = Language::Russian;
    // королевский is "royal", not of Korolyov; игра is a game.
    assert!(cities("Офицеры Королевского полка прибыли утром.", ru).is_empty());
    assert!(cities("Новый сезон Игры престолов закончился.", ru).is_empty());
    // A time zone, not the city.
    assert!(cities("Встреча началась в 9 часов по московскому времени.", ru).is_empty());
    // A quoted name may follow the adjective.
    assert_eq!(
        cities("Клуб обыграл тульский «Арсенал» в субботу.", ru),
        ["Tula"]
    );
    assert_eq!(
        cities("Поезд надолго остановился на станции Тайга.", ru),
        ["Tayga"]
    );
}

#[test]
fn towns_named_like_given_names() {
    let ru = Language::Russian;
    assert!(cities("Его брат Владимир поддержал это решение.", ru).is_empty());
    assert!(cities("С маркетологом Натальей они живут в браке.", ru).is_empty());
    assert_eq!(
        cities("Фестиваль колокольного звона прошёл во Владимире.", ru),
        ["Vladimir"]
    );
}

#[test]
fn a_name_read_as_a_persons_stays_a_persons() {
    let ru = Language::Russian;
    // The singer's surname, once beside her first name, is hers throughout.
    assert!(cities(
        "Певица Уитни Хьюстон умерла в 2012 году. Альбом Уитни Хьюстон вышел позже. Хьюстон была звездой.",
        ru
    )
    .is_empty());
    // ... but not where a preposition of place makes it the town.
    assert_eq!(
        cities(
            "Уитни Хьюстон выступила в Хьюстоне. Альбом Уитни Хьюстон вышел позже.",
            ru
        ),
        ["Houston"]
    );
    // A club named after its town does not make the town a person.
    assert_eq!(
        cities(
            "Мэр Манчестера открыл стадион. Мэр Манчестера выступил. «Манчестер Юнайтед» победил.",
            ru
        ),
        ["Manchester"]
    );
}

#[test]
fn kinsmen_rivers_and_stadiums_are_not_towns() {
    let ru = Language::Russian;
    assert!(cities("Его отец Уэйн также играл в команде.", ru).is_empty());
    assert!(cities("Экспедиция прошла вдоль реки Печоры на север.", ru).is_empty());
    assert!(cities("Матч прошёл на стадионе Калининград вечером.", ru).is_empty());
    // A name in the genitive after «аэропорт» is the town's.
    assert_eq!(
        cities("Самолёт сел в аэропорту Франкфурта утром.", ru),
        ["Frankfurt am Main"]
    );
}

#[test]
fn capitalised_ordinary_words_and_double_surnames() {
    let ru = Language::Russian;
    // «года» is written in lower case in the same text.
    assert!(cities(
        "В начале года понтифик объявил о начале Года милосердия.",
        ru
    )
    .is_empty());
    // A double surname is not a compound adjective.
    assert!(cities("Об этом сообщила Виталина Цымбалюк-Романовская.", ru).is_empty());
    // Keys meet (ц, к), spellings do not: Цурская is a surname.
    assert!(cities("Фигуристка Полина Цурская выиграла этап.", ru).is_empty());
}

#[test]
fn adjectives_of_towns_ending_in_o_and_g() {
    let ru = Language::Russian;
    assert_eq!(
        cities("Он присоединился к Киотскому протоколу.", ru),
        ["Kyoto"]
    );
    assert_eq!(cities("Он окончил Рижское военное училище.", ru), ["Rīga"]);
}

#[test]
fn a_named_region_picks_its_countrys_town() {
    let ru = Language::Russian;
    // Sukhumi (Georgia) rather than Suhum (Ghana): Abkhazia is named.
    assert_eq!(
        cities("Он родился в Сухуми и вырос в Абхазии.", ru),
        ["Sokhumi"]
    );
}
