//! The text of screenshots (issue 17), read by the real engine (Tesseract
//! with Debian's chi_sim and eng models) on rendered chat screenshots from
//! `tests/fixtures/ocr/`, on real journal files: attaching queues an image
//! without reading it; reading puts its text in search (a 2-character
//! Chinese word, a ticket number that is only inside the image); a
//! computer without an engine keeps the images waiting; a journal from
//! schema 5 queues the screenshots it already had.

mod common;

use casebook::evidence::AttachTo;
use casebook::ocr::{Engine, OcrOutcome, OcrProgress, OcrState};
use casebook::search::SearchQuery;
use common::{journal, new_case};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/ocr/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn attachments_found(j: &casebook::Journal, q: &str) -> Vec<i64> {
    j.search(&SearchQuery::new(q))
        .unwrap()
        .into_iter()
        .filter(|h| format!("{:?}", h.kind) == "Attachment")
        .map(|h| h.id)
        .collect()
}

#[test]
fn screenshots_are_queued_then_read_into_search() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "退款没到账");
    let mut ids = Vec::new();
    for name in [
        "01-alipay-kefu-light.png",
        "04-wechatpay-kefu-dark.png",
        "19-paypal-message-center-light.png",
    ] {
        let a = j
            .attach_reader(AttachTo::case(case), name, &mut &fixture(name)[..])
            .unwrap();
        ids.push(a.id);
    }
    // Attaching did not read anything.
    assert_eq!(
        j.ocr_progress().unwrap(),
        OcrProgress {
            pending: 3,
            ..OcrProgress::default()
        }
    );
    assert!(attachments_found(j, "TK20241130072615").is_empty());

    let mut engine = Engine::new().expect("Tesseract with chi_sim and eng is installed");
    let mut read = Vec::new();
    let n = j
        .read_waiting_images(&mut engine, |id, o| read.push((id, o.clone())))
        .unwrap();
    assert_eq!(n, 3);
    assert!(
        read.iter()
            .all(|(_, o)| matches!(o, OcrOutcome::Text { .. })),
        "{read:?}"
    );
    assert_eq!(j.ocr_progress().unwrap().done, 3);

    // A ticket number that is only inside the Alipay screenshot, a
    // 2-character Chinese word from the dark WeChat one, a PayPal case ID.
    assert_eq!(attachments_found(j, "TK20241130072615"), [ids[0]]);
    assert!(attachments_found(j, "退款").contains(&ids[1]));
    assert_eq!(attachments_found(j, "PP-D-305562190"), [ids[2]]);

    let texts = j.image_texts(case).unwrap();
    assert_eq!(texts.len(), 3);
    assert!(texts.iter().all(|t| t.state == OcrState::Done));
    assert!(
        texts[1].text.contains("4200002517202411301833406291"),
        "{}",
        texts[1].text
    );
    assert!(texts[1].engine.starts_with("tesseract"));
}

#[test]
fn without_an_engine_images_wait_and_are_read_once_one_is_there() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "x");
    let a = j
        .attach_reader(
            AttachTo::case(case),
            "shot.png",
            &mut &fixture("04-wechatpay-kefu-dark.png")[..],
        )
        .unwrap();
    let (id, _) = j.next_ocr_job().unwrap().unwrap();
    assert_eq!(id, a.id);
    j.record_ocr(
        id,
        OcrOutcome::Unavailable {
            detail: "no chi_sim".into(),
        },
    )
    .unwrap();
    assert_eq!(j.ocr_progress().unwrap().unavailable, 1);
    assert!(j.next_ocr_job().unwrap().is_none());
    let shown = &j.image_texts(case).unwrap()[0];
    assert_eq!(
        (shown.state, shown.detail.as_str()),
        (OcrState::Unavailable, "no chi_sim")
    );
    // The file itself is untouched.
    assert_eq!(
        j.attachment_bytes(a.id).unwrap().1,
        fixture("04-wechatpay-kefu-dark.png")
    );
    assert_eq!(j.requeue_unavailable_ocr().unwrap(), 1);
    assert_eq!(j.next_ocr_job().unwrap().unwrap().0, a.id);
}

#[test]
fn a_file_the_engine_cannot_read_fails_alone() {
    let mut engine = Engine::new().unwrap();
    // A PNG signature and nothing else.
    assert!(matches!(
        engine.read(b"\x89PNG\r\n\x1a\n"),
        OcrOutcome::Failed { .. }
    ));
    // The engine still reads the next image.
    assert!(matches!(
        engine.read(&fixture("01-alipay-kefu-light.png")),
        OcrOutcome::Text { .. }
    ));
}

/// Schema 5 → 6: the screenshots a journal already had are queued, its
/// other files are not, and every entry is kept.
#[test]
fn a_version_5_journal_queues_its_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(casebook::db::JOURNAL_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        casebook::db::migrations().to_version(&mut conn, 5).unwrap();
        let sha = "a".repeat(64);
        conn.execute_batch(&format!(
            "INSERT INTO cases (id, title, category, opened_ms, opened_offset, created_ms, updated_ms)
                 VALUES (1, '截图', 'refund', 0, 28800, 0, 0);
             INSERT INTO attachments (id, case_id, name, size, media_type, sha256, added_ms, added_offset)
                 VALUES (1, 1, 'chat.png', 10, 'image/png', '{sha}', 0, 0),
                        (2, 1, 'mail.eml', 10, 'message/rfc822', '{sha}', 0, 0);"
        ))
        .unwrap();
    }
    let j = casebook::Journal::open(&path).unwrap();
    assert_eq!(
        j.ocr_progress().unwrap(),
        OcrProgress {
            pending: 1,
            ..OcrProgress::default()
        }
    );
    assert_eq!(j.attachments(1).unwrap().len(), 2);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let queued: Vec<i64> = conn
        .prepare("SELECT attachment_id FROM attachment_ocr")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(queued, [1]);
}
