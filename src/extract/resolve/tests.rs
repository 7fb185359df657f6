//! One test per city rule, on sentences written for it: the rule decides
//! what its name says (and, where a cue word makes the difference, the
//! same name without the cue is read as the town).

use super::rules::CITY_RULES;
use crate::extract::explain;
use crate::lang::Language::{self, English as EN, Lithuanian as LT, Russian as RU};

/// The rule that decided the first reading of `word` in `text`.
fn rule(lang: Language, text: &str, word: &str) -> &'static str {
    explain(text, Some(lang))
        .into_iter()
        .find(|d| d.mention.text == word)
        .unwrap_or_else(|| panic!("no candidate {word:?} in {text:?}"))
        .rule
}

/// Is `word` read as a place in `text`?
fn kept(lang: Language, text: &str, word: &str) -> bool {
    explain(text, Some(lang))
        .iter()
        .any(|d| d.mention.text == word && d.kept)
}

#[test]
fn rules_have_distinct_names() {
    let mut names: Vec<&str> = CITY_RULES.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CITY_RULES.len());
}

#[test]
fn too_small() {
    assert_eq!(
        rule(EN, "We visited Tornillo yesterday.", "Tornillo"),
        "too_small"
    );
    assert!(kept(
        EN,
        "We visited the town of Tornillo yesterday.",
        "Tornillo"
    ));
}

#[test]
fn region_name() {
    let text = "In the United States, Nevada voters said no.";
    assert_eq!(rule(EN, text, "Nevada"), "region_name");
}

#[test]
fn alternate_name() {
    let text = "He lived in Calcutta for years.";
    assert_eq!(rule(EN, text, "Calcutta"), "alternate_name");
}

#[test]
fn region_word_follows() {
    let text = "Vilniaus apskrities gyventojai balsavo.";
    assert_eq!(rule(LT, text, "Vilniaus"), "region_word_follows");
}

#[test]
fn feature_before() {
    let text = "На берегу реки Печоры стоит дом.";
    assert_eq!(rule(RU, text, "Печоры"), "feature_before");
}

#[test]
fn quoted() {
    assert_eq!(rule(RU, "Клуб «Ростов» выиграл матч.", "Ростов"), "quoted");
}

#[test]
fn latin_word() {
    assert_eq!(rule(RU, "Он жил в Kstovo давно.", "Kstovo"), "latin_word");
    assert_eq!(
        rule(RU, "Он прилетел в Bombay вчера.", "Bombay"),
        "latin_word"
    );
    assert!(kept(RU, "Он прилетел в Boston вчера.", "Boston"));
}

#[test]
fn inflected_common_noun() {
    let text = "Jie lankėsi Lilio mieste.";
    assert_eq!(rule(LT, text, "Lilio"), "inflected_common_noun");
}

#[test]
fn ordinary_word() {
    assert_eq!(
        rule(LT, "Tai Kito žmogaus darbas.", "Kito"),
        "ordinary_word"
    );
}

#[test]
fn ordinary_word_at_home() {
    let text = "Вчера Игра закончилась поздно.";
    assert_eq!(rule(RU, text, "Игра"), "ordinary_word_at_home");
}

#[test]
fn adjective_without_noun() {
    let text = "Собрание прошло по московскому времени.";
    assert_eq!(rule(RU, text, "московскому"), "adjective_without_noun");
}

#[test]
fn inflected_ordinary_word() {
    let text = "We saw Reading's team play.";
    assert_eq!(rule(EN, text, "Reading's"), "inflected_ordinary_word");
}

#[test]
fn too_short() {
    assert_eq!(rule(EN, "Ufa hosted the summit.", "Ufa"), "too_short");
    assert!(kept(EN, "He flew to Ufa yesterday.", "Ufa"));
}

#[test]
fn adjective_shaped() {
    let text = "Жители Советского требуют ремонта.";
    assert_eq!(rule(RU, text, "Советского"), "adjective_shaped");
}

#[test]
fn used_in_lower_case() {
    let text = "Мы видели, как орёл кружил, и Орёл встретил нас.";
    assert_eq!(rule(RU, text, "Орёл"), "used_in_lower_case");
}

#[test]
fn after_kinsman() {
    let text = "He met his son Paris at noon.";
    assert_eq!(rule(EN, text, "Paris"), "after_kinsman");
}

#[test]
fn sentence_start_lower_case() {
    let text = "Орёл кружил над полем. Мы видели, как орёл сел.";
    assert_eq!(rule(RU, text, "Орёл"), "sentence_start_lower_case");
}

#[test]
fn sentence_start() {
    assert_eq!(rule(EN, "Leeds is rainy today.", "Leeds"), "sentence_start");
    assert!(kept(EN, "We drove to Leeds today.", "Leeds"));
}

#[test]
fn surname_shaped() {
    assert_eq!(
        rule(RU, "Мы читали Чехова вечером.", "Чехова"),
        "surname_shaped"
    );
    assert!(kept(RU, "Мы жили в Чехове летом.", "Чехове"));
}

#[test]
fn person_seen() {
    let text = "Yesterday John Leeds spoke. Then Leeds left.";
    assert_eq!(rule(EN, text, "Leeds"), "person_seen");
    assert_eq!(
        rule(RU, "Вчера Анатолий Орёл выступил.", "Орёл"),
        "person_seen"
    );
}

#[test]
fn given_name() {
    let text = "Вчера Владимир приехал домой.";
    assert_eq!(rule(RU, text, "Владимир"), "given_name");
    assert!(kept(RU, "Вчера мы приехали во Владимир.", "Владимир"));
}

#[test]
fn month_name() {
    let text = "In the United Kingdom, March was wet.";
    assert_eq!(rule(EN, text, "March"), "month_name");
}

#[test]
fn region_adjective() {
    let text = "Жители Тверской области голосуют.";
    assert_eq!(rule(RU, text, "Тверской"), "region_adjective");
    assert!(kept(RU, "Жители Тверской тоже пришли.", "Тверской"));
}

#[test]
fn after_initial() {
    let text = "Статью написал Д. Вашингтон вчера.";
    assert_eq!(rule(RU, text, "Вашингтон"), "after_initial");
}

#[test]
fn capitalised_neighbour() {
    let text = "Вчера Манчестер Юнайтед выиграл.";
    assert_eq!(rule(RU, text, "Манчестер"), "capitalised_neighbour");
}

#[test]
fn institution_name() {
    let text = "Jis studijavo Osaka universitete.";
    assert_eq!(rule(LT, text, "Osaka"), "institution_name");
    assert!(kept(LT, "Jis studijavo Osakos universitete.", "Osakos"));
}

// The country rules.

#[test]
fn country_initialism() {
    assert_eq!(rule(RU, "Вчера США ввели пошлины.", "США"), "initialism");
    assert!(kept(RU, "Вчера США ввели пошлины.", "США"));
}

#[test]
fn country_sentence_start_lower_case() {
    let text = "Turkey was roasted. We ate turkey.";
    assert_eq!(rule(EN, text, "Turkey"), "sentence_start_lower_case");
    assert!(!kept(EN, text, "Turkey"));
}

#[test]
fn country_continent_qualifier() {
    let text = "He travelled across Latin America.";
    assert_eq!(rule(EN, text, "America"), "continent_qualifier");
}

#[test]
fn country_adjective_without_noun() {
    let text = "She is studying French and maths.";
    assert_eq!(rule(EN, text, "French"), "adjective_without_noun");
}

#[test]
fn country_nationality_of_person() {
    let text = "Фильм снял американский кинорежиссёр Дэвид Линч.";
    assert_eq!(rule(RU, text, "американский"), "nationality_of_person");
}

#[test]
fn country_attributive_adjective() {
    let text = "We like French wine.";
    assert_eq!(rule(EN, text, "French"), "attributive_adjective");
    assert!(kept(EN, text, "French"));
}

#[test]
fn country_person_beside() {
    let text = "Yesterday the golfer Jordan Spieth won.";
    assert_eq!(rule(EN, text, "Jordan"), "person_beside");
    assert_eq!(rule(RU, "Он живёт на Кубе давно.", "Кубе"), "country");
}
