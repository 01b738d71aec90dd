"""Strip what a reply repeats: the quoted earlier mail and the sender's signature, in English,
German, Japanese, Korean, Russian and Chinese mail clients' phrasings. Pure text in, text out."""

from __future__ import annotations

import re

# A line that starts the quoted earlier message (everything from it on is dropped).
_QUOTE_HEADERS = [
    r"^On .{4,200}wrote:\s*$",  # en: On Mon, 7 Dec 2026 at 10:00, Ann <a@x> wrote:
    r"^Am .{4,200}schrieb .{0,200}:\s*$",  # de: Am 07.12.2026 um 10:00 schrieb Ann <a@x>:
    r"^.{0,200}(書きました|さんは書きました|のメッセージ)[:：]\s*$",  # ja
    r"^\d{4}年\d{1,2}月\d{1,2}日.{0,200}[:：]\s*$",  # ja/zh: 2026年12月7日(月) 10:00 山田 <a@x>:
    # ko: 2026년 12월 7일 (월) 오전 10:00, 김 <a@x>님이 작성:
    r"^.{0,200}님이 작성(했습니다|한 메시지)?[:：]\s*$",
    r"^\d{4}년 \d{1,2}월 \d{1,2}일.{0,200}[:：]\s*$",  # ko
    # ru: 7 дек. 2026 г., в 10:00, Анна <a@x> пишет:
    r"^.{0,200}(пишет|написал\(а\)|написала|написал)[:：]\s*$",
    r"^.{0,200}(写道|寫道)[:：]\s*$",  # zh: 在 2026年12月7日 10:00，张伟 <a@x> 写道：
    r"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|元のメッセージ|"
    r"원본 메시지|Исходное сообщение|Пересылаемое сообщение|原始邮件|原始郵件|Forwarded message)"
    r"\s*-{2,}\s*$",
    r"^_{10,}\s*$",  # Outlook's rule above the quoted header block
    # Outlook's header block
    r"^(From|Von|差出人|보낸 사람|От|发件人|寄件者)\s*[:：].{1,200}$",
]
# A line that starts the signature (everything from it on is dropped).
_SIGNATURES = [
    r"^--\s*$",
    r"^Sent from my .{1,40}$",
    r"^Get Outlook for .{1,40}$",
    r"^Von meinem .{1,40} gesendet$",
    r"^Gesendet von .{1,40}$",
    r"^(Mit )?(freundlichen|besten|viele) Grüßen?,?$",
    r"^(Best|Kind) regards,?$",
    r"^Regards,?$",
    r"^.{1,20}から送信$",  # ja: iPhoneから送信
    r"^.{1,20}에서 보냄$",  # ko: iPhone에서 보냄
    r"^Отправлено (с|из) .{1,40}$",  # ru
    r"^С уважением,?$",
    r"^发自我的.{1,20}$",  # zh: 发自我的iPhone
    r"^從我的.{1,20}傳送$",
    r"^此致敬礼[,，]?$",
]
_QUOTE = re.compile("|".join(f"(?:{p})" for p in _QUOTE_HEADERS), re.IGNORECASE)
_SIGNATURE = re.compile("|".join(f"(?:{p})" for p in _SIGNATURES), re.IGNORECASE)


def strip_reply(text: str) -> str:
    """The new part of a message: up to the first quoted line, quote header or signature."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        bare = line.strip()
        if bare.startswith(">") or _QUOTE.match(bare) or _SIGNATURE.match(bare):
            break
        kept.append(line.rstrip())
    stripped = "\n".join(kept).strip()
    return stripped or text.strip()
