/**
 * Word lists and sentence templates for the generated posts and profiles. `{name}` is filled
 * from `fills`; `{@}` marks where a mention of another pool author goes. No `&`, `<` or `>`
 * anywhere: X sends those HTML-escaped, and the sandbox keeps its text free of them.
 */

export type Topic = "tech" | "food" | "travel" | "books" | "news";
export const TOPICS: readonly Topic[] = ["tech", "food", "travel", "books", "news"];

export interface LinkTemplate {
  /** Expanded URL with `{slug}`, `{hex}`, `{num}`, `{user}` placeholders. */
  url: string;
  title: string;
  description: string;
}

export interface LangCorpus {
  sentences: Record<Topic, readonly string[]>;
  /** Longer pieces, used to build long posts (over 280 characters). */
  longSentences: readonly string[];
  fills: Record<string, readonly string[]>;
  hashtags: Record<Topic, readonly string[]>;
  emoji: readonly string[];
  mentionLines: readonly string[];
  quoteLines: readonly string[];
  replyLines: readonly string[];
  links: Record<Topic, readonly LinkTemplate[]>;
  slugs: readonly string[];
  bios: Record<Topic, readonly string[]>;
  locations: readonly string[];
  altTexts: readonly string[];
}

const ja: LangCorpus = {
  sentences: {
    tech: [
      "機械学習の勉強会に参加してきた。{ml}の話が特に面白くて、帰りの電車でずっと論文を読んでいた。",
      "社内の{ml}基盤を作り直した話をブログにまとめました。機械学習モデルの評価を自動化できたのが一番の収穫です。",
      "プログラミングを始めて3年、ようやく{lang}で型をちゃんと書けるようになってきた気がする。",
      "{lang}のビルドが遅すぎたので、キャッシュの設定を見直したら10分から90秒になった。",
      "新しい技術書を買った。{techbook}、まだ第2章だけど説明がとても丁寧で読みやすい。",
      "東京で開かれた{conf}に行ってきました。{topic}のセッションがどれも実践的で刺激になった。",
      "週末に個人開発のアプリを{lang}で書き直した。テストを先に書くと設計が自然に整理されていくのが気持ちいい。",
      "機械学習エンジニアの面接で「データの前処理に一番時間を使う」と答えたら、深くうなずかれた。",
      "{topic}についての記事を読んだけど、結局は小さく作って計測するのが一番だと思う。",
      "後輩にプログラミングを教えていて、説明できないところは自分も分かっていないんだと気づかされる。",
      "ローカルで動く小さな言語モデルを試してみた。ノートPCでも意外と速くて驚いた。",
      "障害対応がやっと終わった。原因はタイムゾーンの扱いで、日付の計算は本当に難しい。",
      "{ml}のモデルを本番に出すまでより、出してから監視し続けるほうがずっと大変だと最近よく思う。",
      "今日は一日中{topic}の調査。地味だけど、こういう作業がいちばん効いてくる。",
      "技術書を読むときは、まず目次と最後の章から読む派です。全体像が先に分かると理解が早い。",
      "{lang}の新しいバージョン、エラーメッセージが親切になっていて地味にうれしい。",
      "機械学習の入門書を三冊読み比べた結果、手を動かしながら学べる本がいちばん身についた。",
      "コードレビューで「なぜこうしたのか」を書いておくだけで、半年後の自分がかなり助かる。",
    ],
    food: [
      "{area}の{shop}で{food}を食べた。{foodnote}",
      "仕事帰りに{area}でラーメン。{ramennote}",
      "ラーメンの食べ歩きが趣味なんだけど、東京の{area}は本当に名店が多いと思う。",
      "自炊で{homefood}を作ってみた。レシピ通りにしたのに味が薄い。次は醤油を少し増やす。",
      "朝ごはんは近所のパン屋さんのクロワッサン。焼きたてでバターの香りがすごい。",
      "{area}に新しくできたカフェ、コーヒーも美味しいし電源もあって作業にちょうどいい。",
      "寒い日は{food}に限る。{foodnote}",
      "同僚に教えてもらった{area}の定食屋さん、ご飯のおかわりが自由でうれしい。",
      "深夜のラーメンは罪の味。分かっていてもやめられない。",
      "週末は{homefood}を作り置き。平日の夜が少しだけ楽になる。",
    ],
    travel: [
      "{place}に旅行中。{travelnote}",
      "東京から新幹線で{hours}時間、{place}に着いた。駅前から空気がもう違う。",
      "{season}の{place}、思っていたより人が少なくてゆっくり回れた。",
      "旅行先でも結局プログラミングしてしまう。宿のWi-Fiが速くて助かった。",
      "{place}の朝市で食べた海鮮丼が忘れられない。また行きたい。",
      "久しぶりに一人旅。{place}の路地を地図を見ずに歩くのが楽しい。",
      "夜行バスで{place}へ。体はつらいけど、朝の景色を見たら全部どうでもよくなった。",
    ],
    books: [
      "{book}を読み終えた。{booknote}",
      "積読の技術書がまた増えた。今年こそ全部読むと毎年言っている気がする。",
      "本屋さんで{genre}の棚を眺めていたら、気になる本を三冊も買ってしまった。",
      "通勤時間に少しずつ読んでいた{book}、最後の章で一気に話がつながって鳥肌が立った。",
      "図書館で借りた{genre}の本が面白すぎて、返却日までに二回読んだ。",
      "読書会で{book}を取り上げた。同じ本でも人によって刺さる場所が全然違うのが面白い。",
    ],
    news: [
      "今日の東京は{weather}。{dailynote}",
      "{news}のニュース、{newsnote}",
      "リモートワークが続いて運動不足が深刻。今日から一駅歩くことにした。",
      "月曜の朝から会議が五つ。午後はプログラミングに集中したい。",
      "{news}について解説している記事、背景まで丁寧に書かれていて分かりやすかった。",
      "駅の工事がやっと終わって、乗り換えがかなり楽になった。",
    ],
  },
  longSentences: [
    "最近、機械学習のプロジェクトで一番時間を使っているのはモデルの改善ではなく、データの品質をどう保つかという問題です。",
    "ラベルの揺れ、欠損、収集時期による分布のずれなど、地味な問題を一つずつ潰していくと、結果的にモデルの精度も安定していきました。",
    "東京の小さなチームでプログラミングをしていると、一人が持つ責任の範囲が広くて大変ですが、そのぶん全体が見渡せるのは良いところです。",
    "技術書を読むだけでは身につかないので、読んだ内容を小さなツールにして社内で使ってもらうところまでを一つの区切りにしています。",
    "結局、派手な技術よりも、ログをきちんと残す、計測してから直す、変更を小さく保つ、という基本がいちばん効くと感じています。",
    "来月はこの話をもう少し整理して、社外の勉強会でも発表してみるつもりです。",
  ],
  fills: {
    ml: ["推薦システム", "画像分類", "異常検知", "需要予測", "自然言語処理", "強化学習", "検索ランキング"],
    lang: ["TypeScript", "Rust", "Go", "Python", "Kotlin", "Swift"],
    techbook: [
      "『ゼロから学ぶ機械学習』",
      "『分散システム入門』",
      "『型で考えるTypeScript』",
      "『読みやすいコードの設計』",
      "『実践データベース設計』",
    ],
    conf: ["技術カンファレンス", "フロントエンドの勉強会", "機械学習の勉強会", "社内ハッカソン"],
    topic: ["データベース設計", "型システム", "分散トレーシング", "フロントエンドの性能改善", "CI/CD", "キャッシュ戦略"],
    area: ["渋谷", "新宿", "池袋", "神田", "中目黒", "吉祥寺", "高円寺", "秋葉原", "恵比寿", "浅草"],
    shop: ["老舗", "小さなお店", "人気店", "新しいお店"],
    food: ["味噌ラーメン", "つけ麺", "とんかつ", "親子丼", "天ぷらそば", "カレー", "担々麺"],
    foodnote: [
      "スープが濃厚なのに後味がすっきりしていて最高だった。",
      "行列に40分並んだけど、その価値はあった。",
      "量が多くて大満足。",
      "また来たいと思えるお店でした。",
      "値段以上の味で驚いた。",
    ],
    ramennote: [
      "煮干しの香りが強めで好みの味だった。",
      "麺が細くてスープによく絡む。",
      "替え玉までしてしまった。",
      "チャーシューが分厚くて柔らかい。",
    ],
    homefood: ["肉じゃが", "豚汁", "ハンバーグ", "麻婆豆腐", "カレー", "鶏の照り焼き"],
    place: ["京都", "金沢", "札幌", "福岡", "沖縄", "箱根", "仙台", "松本", "尾道", "函館"],
    travelnote: [
      "古い町並みを歩くだけで楽しい。",
      "地元の市場で食べた海鮮丼が忘れられない。",
      "温泉に入って、久しぶりに何も考えない時間を過ごした。",
      "夕焼けがきれいで、しばらく立ち止まって眺めていた。",
    ],
    hours: ["2", "3", "4"],
    season: ["春", "夏", "秋", "冬"],
    book: [
      "『夜の図書館』",
      "『静かな海の記録』",
      "『はじめての統計』",
      "『ゼロから学ぶ機械学習』",
      "『東京ひとり散歩』",
      "『坂の上の喫茶店』",
    ],
    booknote: [
      "説明が具体的で、仕事ですぐに使えそう。",
      "前半は少し退屈だったけど後半が圧巻。",
      "付箋だらけになった。",
      "読み終わるのが惜しかった。",
    ],
    genre: ["技術書", "ミステリー", "エッセイ", "歴史", "写真集"],
    weather: ["朝から雨", "気持ちのいい晴れ", "かなり蒸し暑い", "風が冷たい", "雪がちらついている"],
    dailynote: ["洗濯物をどうするか悩む。", "散歩日和なので少し遠回りして帰った。", "温かいお茶がおいしい。"],
    news: ["電車の運賃改定", "新しい祝日", "円安", "生成AIのルール作り", "大型連休の混雑予想"],
    newsnote: ["生活への影響がじわじわ来そう。", "賛否が分かれそうだなと思った。", "続報を待ちたい。", "思っていたより大きな話だった。"],
  },
  hashtags: {
    tech: ["機械学習", "プログラミング", "個人開発", "TypeScript", "技術書", "エンジニア"],
    food: ["ラーメン", "東京グルメ", "自炊", "カフェ巡り"],
    travel: ["旅行", "国内旅行", "一人旅", "東京"],
    books: ["読書", "技術書", "読了"],
    news: ["ニュース", "東京"],
  },
  emoji: ["🍜", "☕️", "📚", "🚃", "✨", "😂", "🙏", "👨‍💻", "🗼", "🌸", "🎉"],
  mentionLines: [
    "{@}さんの発表、とても分かりやすかった。",
    "{@}さんに教えてもらったお店、本当においしかった。",
    "この件は{@}さんの記事が詳しいです。",
    "{@}さん、先日はありがとうございました！",
  ],
  quoteLines: ["これはぜひ読んでほしい。", "まさにこれ。", "自分も同じことで悩んでいた。", "保存しておく。"],
  replyLines: [
    "ありがとうございます、参考になります！",
    "分かります、自分もそれで一日溶かしました。",
    "今度ぜひ一緒に行きましょう。",
    "それ気になっていました！",
  ],
  links: {
    tech: [
      {
        url: "https://zenn.dev/{user}/articles/{slug}",
        title: "{lang}で作る小さな検索エンジン",
        description: "全文検索の仕組みを、手を動かしながら理解するための記事です。",
      },
      {
        url: "https://qiita.com/{user}/items/{hex}",
        title: "機械学習モデルの評価を自動化した話",
        description: "評価データの管理から結果の可視化までの構成を紹介します。",
      },
      {
        url: "https://github.com/{user}/{slug}",
        title: "GitHub - {user}/{slug}",
        description: "A small, well-tested library. Contributions welcome.",
      },
      {
        url: "https://developers.example.jp/blog/{num}/{slug}",
        title: "開発者ブログ: 技術選定の振り返り",
        description: "一年運用して分かったことをまとめました。",
      },
    ],
    food: [
      {
        url: "https://tabelog.example.jp/tokyo/{num}/",
        title: "ラーメン {area} 店舗情報",
        description: "営業時間、定休日、メニュー、口コミ。",
      },
      {
        url: "https://food.example.jp/recipes/{num}",
        title: "簡単でおいしい家庭料理のレシピ",
        description: "材料と作り方を写真付きで紹介。",
      },
    ],
    travel: [
      { url: "https://travel.example.jp/guide/{slug}", title: "週末旅行ガイド", description: "モデルコースと周辺のおすすめスポット。" },
    ],
    books: [{ url: "https://books.example.jp/item/{num}", title: "書籍詳細", description: "目次、著者紹介、試し読み。" }],
    news: [
      { url: "https://news.example.jp/articles/{num}", title: "ニュース解説", description: "背景と今後の見通しを分かりやすく解説します。" },
    ],
  },
  slugs: ["tiny-search", "ml-eval", "type-safe-api", "cache-notes", "build-speed", "ramen-map", "weekend-trip", "reading-log"],
  bios: {
    tech: [
      "{area}在住のソフトウェアエンジニア。{lang}と機械学習が好き。",
      "Webエンジニア。技術書を読むのと個人開発が趣味です。",
      "データ基盤とプログラミング教育に関わっています。",
    ],
    food: ["ラーメンと喫茶店をめぐる日々。東京のお店を中心に記録しています。", "食べることが生きがい。自炊もたまにします。"],
    travel: ["旅とカメラ。週末はだいたいどこかへ出かけています。", "国内旅行の記録。おいしいものと温泉が好き。"],
    books: ["本が好き。ミステリーと技術書を交互に読んでいます。", "読書記録用のアカウントです。"],
    news: ["気になったニュースをメモしています。", "テクノロジーと社会のニュースを毎日お届けします。"],
  },
  locations: ["東京", "東京都渋谷区", "大阪", "京都", "福岡", "札幌", "横浜", "日本"],
  altTexts: ["ラーメンの写真", "夕焼けの街並み", "机の上のノートPCとコーヒー", "本棚の写真", "駅のホーム"],
};

const en: LangCorpus = {
  sentences: {
    tech: [
      "Spent the weekend rewriting my side project in {lang}. Every type error I hit along the way was a real bug.",
      "Hot take: most {topic} problems are really data modelling problems in disguise.",
      "Just shipped {feature} at work. Took three weeks, two rewrites and one very long whiteboard session.",
      "Reading about {ml} this morning. The gap between a demo and a production system is still enormous.",
      "Our CI went from 14 minutes to 3 after we started caching dependencies properly. Should have done this a year ago.",
      "If your {lang} service has no timeouts on outbound calls, it has an outage waiting to happen.",
      "Finally understand how {concept} works after drawing it out on paper. Sometimes the old ways are best.",
      "Pair programming with a junior dev today reminded me how many things I do out of habit without knowing why.",
      "Wrote a small tool to clean up our logs and it saved the team an hour a day. Boring work, huge payoff.",
      "The best code review comment I got this year: what happens when this list is empty?",
      "Migrated our database today with zero downtime. Nobody noticed, which is exactly the point.",
      "Machine learning tip: look at your data before you look at your model. Every single time.",
      "Three things I wish I knew earlier about {topic}: measure first, change one thing at a time, write it down.",
    ],
    food: [
      "Tried the new {cuisine} place near {city} station. {foodnote}",
      "Homemade {dish} tonight. {foodnote}",
      "Nothing beats a bowl of ramen on a cold evening. This one had a rich miso broth and perfect noodles.",
      "Coffee order of the week: a flat white from the tiny cafe around the corner. They remember my name now.",
      "Baked bread for the first time in months. The kitchen smells amazing and the crust is actually crisp.",
      "Street food market in {city} this weekend. I went for one snack and left with six.",
    ],
    travel: [
      "Landed in {city}. {travelnote}",
      "Three days in Tokyo and I have eaten more ramen than in the whole of last year. No regrets.",
      "Train travel is underrated. {hours} hours to {city} and I got more reading done than in a month.",
      "Pro tip for {city}: {tip}",
      "Walked 25,000 steps around {city} today. My feet hate me, my camera roll loves me.",
    ],
    books: [
      "Just finished {book}. {booknote}",
      "My reading list for the holidays: {book}, a history of maps, and finally that tech book everyone recommends.",
      "Halfway through {book} and I keep stopping to take notes. Rare for a novel.",
      "Book club picked {book} this month. Already arguing about the ending in the group chat.",
    ],
    news: [
      "Interesting read on {news}. {newsnote}",
      "The {news} story is moving fast. {newsnote}",
      "Good explainer on {news}, with actual numbers instead of vibes.",
      "Local council finally approved the new bike lanes. Took four years, but here we are.",
    ],
  },
  longSentences: [
    "A few lessons from a year of running machine learning models in production, in no particular order.",
    "First, the model is the easy part; the pipeline that feeds it fresh, clean data is where most of the work and most of the bugs live.",
    "Second, every prediction should be traceable back to the exact data and code that produced it, or you will not be able to debug anything.",
    "Third, monitor the inputs, not just the outputs, because drift shows up there weeks before accuracy drops.",
    "Fourth, keep a simple baseline around forever; it is the fastest way to tell whether a fancy change actually helped.",
    "None of this is new, but I had to learn all of it the hard way.",
  ],
  fills: {
    lang: ["TypeScript", "Rust", "Go", "Python", "Kotlin", "Elixir"],
    topic: ["caching", "observability", "database", "frontend performance", "API design", "CI"],
    feature: ["offline sync", "search", "dark mode", "the new onboarding flow", "CSV export"],
    ml: ["retrieval-augmented generation", "recommendation systems", "anomaly detection", "small language models", "evaluation sets"],
    concept: ["consistent hashing", "the event loop", "B-tree indexes", "TLS handshakes", "garbage collection"],
    cuisine: ["ramen", "Ethiopian", "Korean barbecue", "taco", "dumpling", "Sichuan"],
    dish: ["lasagna", "miso soup", "chili", "pad thai", "sourdough pizza"],
    foodnote: [
      "Worth every minute of the queue.",
      "Ten out of ten, would burn my tongue again.",
      "Not pretty, but delicious.",
      "Already planning the next visit.",
    ],
    city: ["Tokyo", "Lisbon", "Berlin", "Seoul", "Toronto", "Melbourne", "Copenhagen", "Osaka"],
    travelnote: [
      "The light here in the evening is unreal.",
      "First stop: coffee. Second stop: more coffee.",
      "Everything is walkable and I love it.",
      "Jet lag is winning so far.",
    ],
    hours: ["Two", "Three", "Five"],
    tip: [
      "buy a transit card on day one.",
      "the best food is two streets away from the main square.",
      "museums are free on the first Sunday of the month.",
    ],
    book: [
      "The Quiet Network",
      "A Short History of Almost Everything Digital",
      "The Map Room",
      "Designing Calm Software",
      "Letters from Osaka",
    ],
    booknote: [
      "Could not put it down.",
      "Slow start, brilliant second half.",
      "Full of ideas I want to steal for work.",
      "The last chapter hit hard.",
    ],
    news: ["the new data privacy rules", "the chip shortage", "remote work trends", "city transit funding", "open source licensing"],
    newsnote: [
      "Worth reading the whole thing.",
      "Curious how this plays out.",
      "Bigger deal than the headline suggests.",
      "The comments are, as usual, a mess.",
    ],
  },
  hashtags: {
    tech: ["TypeScript", "MachineLearning", "100DaysOfCode", "DevOps", "Rust", "buildinpublic"],
    food: ["ramen", "foodie", "coffee"],
    travel: ["travel", "Tokyo", "traintravel"],
    books: ["amreading", "books", "bookclub"],
    news: ["news", "tech"],
  },
  emoji: ["🚀", "☕️", "📚", "🎉", "🙌", "😅", "👨‍💻", "🌧️", "🍜", "✈️", "🔥"],
  mentionLines: ["h/t {@} for the pointer.", "Great thread by {@} on this.", "Thanks {@} for the recommendation!", "cc {@}"],
  quoteLines: ["This is so good.", "Saving this for later.", "Exactly this.", "Required reading for the team."],
  replyLines: [
    "Thanks, this is really helpful!",
    "Same here, lost a whole afternoon to it.",
    "Adding this to my list.",
    "Agreed, great point.",
  ],
  links: {
    tech: [
      {
        url: "https://github.com/{user}/{slug}",
        title: "GitHub - {user}/{slug}",
        description: "A small, well-tested library. Contributions welcome.",
      },
      {
        url: "https://blog.example.com/{num}/{slug}",
        title: "What we learned running {lang} in production",
        description: "Notes from two years of operating a busy service.",
      },
      {
        url: "https://arxiv.org/abs/2{num}",
        title: "A Simple Baseline for Retrieval Evaluation",
        description: "We propose a simple, strong baseline and release our evaluation set.",
      },
      {
        url: "https://dev.example.com/{user}/{slug}",
        title: "A practical guide to {topic}",
        description: "Step by step, with code you can copy.",
      },
    ],
    food: [
      {
        url: "https://eats.example.com/review/{slug}",
        title: "The best noodles in town",
        description: "Our critics tried twenty bowls so you do not have to.",
      },
    ],
    travel: [
      {
        url: "https://travel.example.com/guides/{slug}",
        title: "48 hours in {city}",
        description: "Where to eat, what to see, and what to skip.",
      },
    ],
    books: [{ url: "https://books.example.com/titles/{num}", title: "Book details", description: "Reviews, excerpts and where to buy." }],
    news: [
      {
        url: "https://news.example.com/{num}/{slug}",
        title: "Explainer: what changes and when",
        description: "Everything you need to know, in five minutes.",
      },
    ],
  },
  slugs: ["tiny-http", "fast-csv", "retry-kit", "calm-logs", "type-guards", "noodle-map", "city-guide", "reading-notes"],
  bios: {
    tech: [
      "Software engineer. Writing about {lang}, testing and sleep.",
      "Backend dev, occasional speaker, full-time tinkerer.",
      "Building developer tools. Opinions are my cat's.",
    ],
    food: ["Eating my way through {city}, one bowl at a time.", "Home cook, coffee snob, ramen pilgrim."],
    travel: ["Slow travel, fast trains. Currently somewhere in Europe.", "Photos and notes from the road."],
    books: ["Reading 52 books a year. Mostly succeeding.", "Books, tea and long walks."],
    news: ["Tech and policy news, explained.", "Daily links worth your time."],
  },
  locations: ["San Francisco, CA", "London", "Berlin", "Toronto", "Lisbon", "Melbourne", "New York", "Remote"],
  altTexts: [
    "A bowl of ramen with a soft egg",
    "City skyline at dusk",
    "Laptop and coffee on a wooden desk",
    "A stack of books",
    "Train window view of the countryside",
  ],
};

export const CORPUS: Record<"ja" | "en", LangCorpus> = { ja, en };

/** Pool author identities: [display name, handle, language, main topic, verified type]. */
export const AUTHOR_SEEDS: readonly (readonly [string, string, "ja" | "en", Topic, "blue" | "business" | "none"])[] = [
  ["佐藤 健太", "kenta_sato", "ja", "tech", "none"],
  ["鈴木 美咲", "misaki_suzuki", "ja", "food", "none"],
  ["高橋 翔", "sho_takahashi", "ja", "tech", "blue"],
  ["田中 陽菜", "hina_tanaka", "ja", "travel", "none"],
  ["伊藤 大輔", "daisuke_ito", "ja", "tech", "none"],
  ["渡辺 彩", "aya_watanabe", "ja", "books", "none"],
  ["山本 拓海", "takumi_yamamoto", "ja", "tech", "blue"],
  ["中村 結衣", "yui_nakamura", "ja", "food", "none"],
  ["小林 直樹", "naoki_kobayashi", "ja", "news", "none"],
  ["加藤 さくら", "sakura_kato", "ja", "travel", "none"],
  ["吉田 悠人", "yuto_yoshida", "ja", "tech", "none"],
  ["山田 真央", "mao_yamada", "ja", "books", "none"],
  ["松本 蓮", "ren_matsumoto", "ja", "tech", "none"],
  ["井上 葵", "aoi_inoue", "ja", "food", "blue"],
  ["木村 颯太", "sota_kimura", "ja", "tech", "none"],
  ["ラーメン太郎", "ramen_taro", "ja", "food", "none"],
  ["のんびりエンジニア", "nonbiri_eng", "ja", "tech", "none"],
  ["技術書を読む人", "gishoyomi", "ja", "books", "none"],
  ["東京カフェ日記", "tokyo_cafe_log", "ja", "food", "none"],
  ["旅するプログラマー", "tabi_programmer", "ja", "travel", "blue"],
  ["テックニュース速報", "technews_jp", "ja", "news", "business"],
  ["機械学習メモ", "ml_memo_jp", "ja", "tech", "none"],
  ["林 美月", "mizuki_hayashi", "ja", "travel", "none"],
  ["清水 航", "wataru_shimizu", "ja", "tech", "none"],
  ["森 ひかり", "hikari_mori", "ja", "books", "none"],
  ["池田 湊", "minato_ikeda", "ja", "news", "none"],
  ["橋本 凛", "rin_hashimoto", "ja", "food", "none"],
  ["石川 陸", "riku_ishikawa", "ja", "tech", "blue"],
  ["前田 芽依", "mei_maeda", "ja", "travel", "none"],
  ["藤田 海斗", "kaito_fujita", "ja", "tech", "none"],
  ["Alex Chen", "alexchen_dev", "en", "tech", "blue"],
  ["Priya Patel", "priya_builds", "en", "tech", "none"],
  ["Marcus Okafor", "marcus_codes", "en", "tech", "none"],
  ["Emily Larsen", "emilyreads", "en", "books", "none"],
  ["Diego Garcia", "diego_eats", "en", "food", "none"],
  ["Hannah Kim", "hannahkim", "en", "travel", "blue"],
  ["Omar Haddad", "omar_ships", "en", "tech", "none"],
  ["Sofia Rossi", "sofia_rossi", "en", "food", "none"],
  ["Liam Walker", "liamwalker", "en", "news", "none"],
  ["Chloe Nguyen", "chloe_ml", "en", "tech", "blue"],
  ["Noah Fischer", "noahfischer", "en", "travel", "none"],
  ["Grace Silva", "gracesilva", "en", "books", "none"],
  ["Ethan Miller", "ethan_infra", "en", "tech", "none"],
  ["Maya Johnson", "mayaj", "en", "news", "none"],
  ["Ravi Shah", "ravi_shah", "en", "tech", "none"],
  ["Zoe Martin", "zoe_bakes", "en", "food", "none"],
  ["Lucas Brown", "lucas_onthego", "en", "travel", "none"],
  ["Nina Petrova", "ninapetrova", "en", "books", "none"],
  ["Sam Taylor", "samtaylor_dev", "en", "tech", "none"],
  ["Isabel Moreno", "isabel_m", "en", "news", "none"],
  ["The Daily Stack", "dailystack", "en", "news", "business"],
  ["Ramen Atlas", "ramenatlas", "en", "food", "business"],
  ["Open Source Weekly", "oss_weekly", "en", "tech", "business"],
  ["Transit Tales", "transittales", "en", "travel", "none"],
  ["Bookish Bytes", "bookishbytes", "en", "books", "none"],
  ["Kai Andersen", "kai_andersen", "en", "tech", "none"],
  ["Amara Eze", "amara_eze", "en", "tech", "blue"],
  ["Tom Becker", "tombecker", "en", "food", "none"],
  ["Julia Novak", "julianovak", "en", "travel", "none"],
  ["Ben Carter", "bencarter_ml", "en", "tech", "none"],
];
