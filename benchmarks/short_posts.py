"""Short posts in eight languages, written here for measuring language identification on tweet-length text.

Each language has fourteen short sentences in the register of posts (news shares, slogans, replies, everyday
remarks). `posts(per_language)` composes tweet-length posts from one or two of them with the furniture real posts
carry — an RT prefix, @handles, #tags, links — drawn with random.Random(42), so the set is the same on every run.
"""

from __future__ import annotations

import random

SENTENCES: dict[str, list[str]] = {
    "en": [
        "The channel was taken down again this morning",
        "They keep coming back with new accounts every week",
        "Read the full report before you share it",
        "Police say the suspect was known to the security services",
        "This is exactly what they want you to believe",
        "Thank you all for the support, we will not stop",
        "Another video appeared on the same site last night",
        "Nobody in the government has answered the question yet",
        "Our brothers are standing firm despite everything",
        "Can anyone confirm whether this footage is real",
        "The new law will be debated in parliament next month",
        "Just landed, the weather here is awful",
        "Huge crowds gathered outside the embassy today",
        "Stop sharing rumours and wait for the facts",
    ],
    "ar": [
        "تم حذف القناة مرة أخرى صباح اليوم",
        "يعودون كل أسبوع بحسابات جديدة",
        "اقرأ التقرير كاملا قبل أن تنشره",
        "قالت الشرطة إن المشتبه به كان معروفا للأجهزة الأمنية",
        "هذا بالضبط ما يريدونك أن تصدقه",
        "شكرا لكم جميعا على الدعم ولن نتوقف",
        "ظهر مقطع جديد على الموقع نفسه الليلة الماضية",
        "لم يجب أحد في الحكومة على السؤال حتى الآن",
        "إخواننا ثابتون رغم كل شيء",
        "هل يستطيع أحد أن يؤكد صحة هذا المقطع",
        "سيناقش البرلمان القانون الجديد الشهر المقبل",
        "وصلت للتو والطقس هنا سيئ جدا",
        "تجمعت حشود كبيرة أمام السفارة اليوم",
        "توقفوا عن نشر الشائعات وانتظروا الحقائق",
    ],
    "fr": [
        "La chaîne a encore été supprimée ce matin",
        "Ils reviennent chaque semaine avec de nouveaux comptes",
        "Lisez le rapport en entier avant de le partager",
        "Selon la police, le suspect était connu des services de renseignement",
        "C'est exactement ce qu'ils veulent vous faire croire",
        "Merci à tous pour votre soutien, nous ne lâcherons rien",
        "Une autre vidéo est apparue sur le même site hier soir",
        "Personne au gouvernement n'a encore répondu à la question",
        "Nos frères tiennent bon malgré tout",
        "Quelqu'un peut-il confirmer que ces images sont authentiques",
        "La nouvelle loi sera débattue au parlement le mois prochain",
        "Je viens d'atterrir et il fait un temps affreux",
        "Une foule immense s'est rassemblée devant l'ambassade aujourd'hui",
        "Arrêtez de relayer des rumeurs et attendez les faits",
    ],
    "ru": [
        "Канал снова удалили сегодня утром",
        "Они возвращаются каждую неделю с новыми аккаунтами",
        "Прочитайте весь доклад, прежде чем делиться им",
        "По словам полиции, подозреваемый был известен спецслужбам",
        "Это именно то, во что они хотят заставить вас поверить",
        "Спасибо всем за поддержку, мы не остановимся",
        "Вчера вечером на том же сайте появилось ещё одно видео",
        "Никто в правительстве до сих пор не ответил на вопрос",
        "Наши братья стоят твёрдо несмотря ни на что",
        "Может ли кто-нибудь подтвердить, что это видео настоящее",
        "Новый закон обсудят в парламенте в следующем месяце",
        "Только что приземлился, погода здесь ужасная",
        "Сегодня у посольства собралась огромная толпа",
        "Хватит распространять слухи, дождитесь фактов",
    ],
    "tr": [
        "Kanal bu sabah yine kapatıldı",
        "Her hafta yeni hesaplarla geri dönüyorlar",
        "Paylaşmadan önce raporun tamamını okuyun",
        "Polise göre şüpheli güvenlik birimleri tarafından biliniyordu",
        "Tam olarak inanmanızı istedikleri şey bu",
        "Desteğiniz için hepinize teşekkürler, durmayacağız",
        "Dün gece aynı sitede başka bir video ortaya çıktı",
        "Hükümetten kimse henüz soruyu yanıtlamadı",
        "Kardeşlerimiz her şeye rağmen dimdik ayakta",
        "Bu görüntülerin gerçek olduğunu doğrulayabilecek biri var mı",
        "Yeni yasa gelecek ay mecliste görüşülecek",
        "Az önce indim, hava burada berbat",
        "Bugün büyükelçiliğin önünde büyük bir kalabalık toplandı",
        "Söylenti yaymayı bırakın ve gerçekleri bekleyin",
    ],
    "ur": [
        "چینل کو آج صبح پھر سے ہٹا دیا گیا",
        "وہ ہر ہفتے نئے اکاؤنٹس کے ساتھ واپس آ جاتے ہیں",
        "شیئر کرنے سے پہلے پوری رپورٹ پڑھیں",
        "پولیس کے مطابق مشتبہ شخص سیکیورٹی اداروں کو معلوم تھا",
        "یہی تو وہ چاہتے ہیں کہ آپ یقین کریں",
        "آپ سب کی حمایت کا شکریہ، ہم نہیں رکیں گے",
        "کل رات اسی سائٹ پر ایک اور ویڈیو سامنے آئی",
        "حکومت میں سے کسی نے ابھی تک سوال کا جواب نہیں دیا",
        "ہمارے بھائی ہر حال میں ڈٹے ہوئے ہیں",
        "کیا کوئی تصدیق کر سکتا ہے کہ یہ ویڈیو اصلی ہے",
        "نئے قانون پر اگلے مہینے پارلیمنٹ میں بحث ہوگی",
        "ابھی پہنچا ہوں، یہاں موسم بہت خراب ہے",
        "آج سفارت خانے کے باہر بہت بڑا ہجوم جمع ہوا",
        "افواہیں پھیلانا بند کریں اور حقائق کا انتظار کریں",
    ],
    "de": [
        "Der Kanal wurde heute Morgen wieder gelöscht",
        "Sie kommen jede Woche mit neuen Konten zurück",
        "Lest den ganzen Bericht, bevor ihr ihn teilt",
        "Laut Polizei war der Verdächtige den Sicherheitsbehörden bekannt",
        "Genau das sollt ihr nach ihrem Willen glauben",
        "Danke euch allen für die Unterstützung, wir hören nicht auf",
        "Gestern Abend tauchte auf derselben Seite ein weiteres Video auf",
        "Niemand in der Regierung hat die Frage bisher beantwortet",
        "Unsere Brüder bleiben trotz allem standhaft",
        "Kann jemand bestätigen, dass diese Aufnahmen echt sind",
        "Über das neue Gesetz wird nächsten Monat im Parlament beraten",
        "Gerade gelandet, das Wetter hier ist furchtbar",
        "Heute versammelte sich eine riesige Menge vor der Botschaft",
        "Hört auf, Gerüchte zu verbreiten, und wartet auf die Fakten",
    ],
    "es": [
        "El canal fue eliminado otra vez esta mañana",
        "Vuelven cada semana con cuentas nuevas",
        "Lee el informe completo antes de compartirlo",
        "Según la policía, el sospechoso era conocido por los servicios de seguridad",
        "Esto es exactamente lo que quieren que creas",
        "Gracias a todos por el apoyo, no vamos a parar",
        "Anoche apareció otro vídeo en el mismo sitio",
        "Nadie en el gobierno ha respondido todavía a la pregunta",
        "Nuestros hermanos siguen firmes a pesar de todo",
        "Alguien puede confirmar si estas imágenes son reales",
        "La nueva ley se debatirá en el parlamento el mes que viene",
        "Acabo de aterrizar y el tiempo aquí es horrible",
        "Una multitud enorme se reunió hoy frente a la embajada",
        "Dejen de difundir rumores y esperen los hechos",
    ],
}
HANDLES = ["news_watch", "abu_m", "user2931", "EuropolMedia", "la_voix", "kanal_info", "haber_ajansi", "Redaccion"]
TAGS = ["breaking", "Syria", "Mosul", "news", "IslamicState", "OpenSource", "2019", "FakeNews"]


def posts(per_language: int = 40, seed: int = 42) -> list[tuple[str, str]]:
    """(language, post) pairs: `per_language` posts per language, each one or two sentences (every fourth only its
    first three to five words) plus furniture."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for lang, sentences in SENTENCES.items():
        for i in range(per_language):
            if i % 4 == 3:  # a very short post: the first three to five words of a sentence
                text = " ".join(rng.choice(sentences).split()[:rng.randint(3, 5)])
            else:
                text = rng.choice(sentences) if i % 2 == 0 else " ".join(rng.sample(sentences, 2))
            if rng.random() < 0.3:
                text = f"@{rng.choice(HANDLES)} {text}"
            if rng.random() < 0.4:
                text += f" #{rng.choice(TAGS)}"
            if rng.random() < 0.5:
                text += f" https://t.co/{rng.randrange(16**8):08x}"
            if rng.random() < 0.2:
                text = f"RT @{rng.choice(HANDLES)}: {text}"
            out.append((lang, text))
    return out
