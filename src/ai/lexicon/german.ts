// German → the planner's English words. Keys are lower-case and accent-folded ("fehlschlägt" →
// "fehlschlagt"); several words are one key; compounds not listed are split into listed parts
// ("Rechnungszahlung" → "invoice payment"). An empty value drops the word.
import type { LanguageLexicon } from "./language";

export const german: LanguageLexicon = {
  code: "de",
  name: "German",
  markers: [
    "wenn", "sobald", "falls", "dann", "sonst", "und", "der", "die", "das", "den", "dem", "ein", "eine", "einen", "einer", "ist", "wird", "im", "mit",
    "fur", "auf", "jeden", "jede", "senden", "schicken", "erstellen", "anlegen", "posten", "zahlung", "rechnung", "kunde", "kunden", "neue",
    "neues", "neuer", "uhr", "warten",
  ],
  decompound: true,
  verbLast: true,
  words: {
    // Clause structure
    wenn: "when", sobald: "as soon as", falls: "if", "jedes mal wenn": "whenever", "immer wenn": "whenever", "nur wenn": "only if",
    "nur falls": "only if", und: "and", "und dann": "and then", "und danach": "and then", dann: "then", danach: "then", anschliessend: "then",
    ausserdem: "also", auch: "also", oder: "or", aber: "but", sonst: "otherwise", ansonsten: "otherwise", andernfalls: "otherwise",
    // Small words
    der: "the", die: "the", das: "the", den: "the", dem: "the", des: "of the", ein: "a", eine: "a", einen: "a", einem: "a", einer: "a",
    eines: "a", im: "in the", in: "in", am: "on the", an: "to", auf: "on", mit: "with", fur: "for", von: "from", zu: "to", zum: "to the",
    zur: "to the", bei: "at", nach: "after", um: "at", als: "as", ist: "is", sind: "are", wird: "is", werden: "are", wurde: "was", hat: "has",
    nicht: "not", kein: "no", keine: "no", sein: "their", seine: "their", ihr: "their", ihre: "their", ihren: "their", ihrem: "their",
    unser: "our", unsere: "our", mein: "my", meine: "my", mir: "me", mich: "me", es: "it", er: "it", sie: "them", ihm: "them", ihnen: "them",
    jemand: "someone", nichts: "nothing", "nichts tun": "do nothing", tun: "do", neu: "new", neue: "new", neuer: "new", neues: "new",
    neuen: "new", weitere: "another", weiteren: "another",
    // Things
    zahlung: "payment", zahlungen: "payments", karte: "card", kreditkarte: "credit card", rechnung: "invoice", rechnungen: "invoices",
    abonnement: "subscription", abo: "subscription", kunde: "customer", kunden: "customer", kundin: "customer", kontakt: "contact",
    person: "person", deal: "deal", geschaft: "deal", verkauf: "sale", kauf: "purchase", bestellung: "order", kaufer: "buyer", ticket: "ticket",
    fehler: "bug", aufgabe: "task", aktivitat: "activity", anruf: "call", termin: "meeting", nachricht: "message", mail: "email",
    kanal: "channel", team: "team", betrag: "amount", wert: "value", wahrung: "currency", status: "status", titel: "title", name: "name",
    dank: "thank you", dankes: "thank you", willkommen: "welcome", erinnerung: "reminder", bericht: "report", link: "link",
    // Time
    zwei: "two", drei: "three", vier: "four", funf: "five", sechs: "six", sieben: "seven", acht: "eight", zehn: "ten", funfzehn: "fifteen",
    zwanzig: "twenty", dreissig: "thirty",
    woche: "week", wochen: "weeks", tag: "day", tage: "days", tagen: "days", stunde: "hour", stunden: "hours", minute: "minute",
    minuten: "minutes", sekunde: "second", sekunden: "seconds", monat: "month", monats: "month", morgen: "morning", abend: "evening",
    nacht: "night", mittag: "noon", mitternacht: "midnight", spater: "later", uhr: "h", erste: "first", ersten: "first", erster: "first",
    montag: "monday", dienstag: "tuesday", mittwoch: "wednesday", donnerstag: "thursday", freitag: "friday", samstag: "saturday",
    sonntag: "sunday", montags: "mondays", dienstags: "tuesdays", mittwochs: "wednesdays", donnerstags: "thursdays", freitags: "fridays",
    samstags: "saturdays", sonntags: "sundays", jeden: "every", jede: "every", jedes: "every", "jedes monats": "of every month",
    "jeden monats": "of every month", "jedes mal": "every time", "jeden tag": "every day", taglich: "daily", stundlich: "hourly",
    wochentlich: "weekly", monatlich: "monthly", werktags: "every weekday", wochentags: "every weekday", wochenende: "weekend",
    // Doing
    erstellen: "create", erstelle: "create", anlegen: "create", eroffnen: "open", offnen: "open", hinzufugen: "add", senden: "send",
    sende: "send", schicken: "send", schicke: "send", verschicken: "send", posten: "post", poste: "post", veroffentlichen: "post",
    benachrichtigen: "notify", informieren: "notify", aufrufen: "call", anrufen: "call", planen: "schedule", einplanen: "schedule",
    warten: "wait", warte: "wait", weiterleiten: "forward",
    // Happening
    fehlschlagt: "fails", fehlschlagen: "fail", "schlagt fehl": "fails", fehlgeschlagen: "failed", scheitert: "fails", gescheitert: "failed",
    abgelehnt: "declined", erfolgreich: "successful", bezahlt: "paid", zahlt: "pays", gekundigt: "canceled", kundigt: "cancels",
    storniert: "canceled", beendet: "ended", geandert: "changed", aktualisiert: "updated", gewonnen: "won", gewinnt: "wins",
    verloren: "lost", angelegt: "created", erstellt: "created", hinzugefugt: "added", eroffnet: "opened", geoffnet: "opened",
    empfangen: "received", eingegangen: "received", eingeht: "arrives", "geht ein": "arrives", ankommt: "arrives", abgeschlossen: "completed",
    abschliesst: "completes", kauft: "buys", gekauft: "bought", abonniert: "subscribes",
    // Comparing
    "grosser als": "greater than", "großer als": "greater than", "mehr als": "more than", uber: "over", "kleiner als": "less than",
    "weniger als": "less than", unter: "under", mindestens: "at least", hochstens: "at most", enthalt: "contains",
  },
};
