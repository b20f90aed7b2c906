// French → the planner's English words. Keys are lower-case, accent-folded, elisions split
// ("lorsqu'un" → "lorsqu un"); several words are one key. An empty value drops the word.
import type { LanguageLexicon } from "./language";

export const french: LanguageLexicon = {
  code: "fr",
  name: "French",
  markers: [
    "quand", "lorsque", "lorsqu", "un", "puis", "ensuite", "sinon", "une", "des", "les", "le", "du", "au", "aux", "est", "dans", "envoyer", "creer", "ajouter",
    "publier", "chaque", "tous", "toutes", "nouveau", "nouvelle", "paiement", "facture", "abonnement", "qu", "pour", "avec", "sur", "et", "attendre",
  ],
  words: {
    // Clause structure
    quand: "when", lorsque: "when", lorsqu: "when", "des que": "as soon as", "chaque fois que": "whenever", "chaque fois qu": "whenever",
    "a chaque fois que": "whenever", "a chaque fois qu": "whenever", si: "if", "seulement si": "only if", "uniquement si": "only if", sinon: "otherwise",
    "dans le cas contraire": "otherwise", puis: "then", ensuite: "then", "et ensuite": "and then", "et puis": "and then", et: "and", aussi: "also",
    egalement: "also", apres: "after", "apres ca": "after that", "apres cela": "after that", ou: "or", mais: "but",
    // Small words
    le: "the", la: "the", les: "the", l: "the", un: "a", une: "a", des: "", du: "", de: "of", d: "", au: "to the", aux: "to the", a: "at", dans: "in",
    sur: "on", en: "in", pour: "for", avec: "with", par: "by", chez: "at", vers: "to", que: "", qu: "", qui: "", ce: "", cette: "", ces: "", son: "their",
    sa: "their", ses: "their", leur: "them", leurs: "their", mon: "my", ma: "my", mes: "my", notre: "our", nos: "our", il: "it", elle: "it", on: "",
    nous: "we", lui: "them", eux: "them", y: "", s: "", c: "", j: "", quelqu: "someone", "quelqu un": "someone", me: "me", moi: "me",
    est: "is", sont: "are", "a ete": "has been", ete: "been", etre: "be", n: "not", ne: "not", pas: "", rien: "nothing", "ne rien faire": "do nothing",
    faire: "do", nouveau: "new", nouvelle: "new", nouveaux: "new", nouvelles: "new", autre: "another",
    // Things
    paiement: "payment", paiements: "payments", carte: "card", "carte bancaire": "card", facture: "invoice", factures: "invoices",
    abonnement: "subscription", abonnements: "subscriptions", client: "customer", clients: "customers", cliente: "customer", contact: "contact",
    contacts: "contacts", personne: "person", affaire: "deal", affaires: "deals", vente: "sale", opportunite: "opportunity", commande: "order",
    achat: "purchase", acheteur: "buyer", ticket: "ticket", bogue: "bug", anomalie: "bug", tache: "task", activite: "activity", appel: "call",
    "rendez vous": "meeting", reunion: "meeting", suivi: "follow up", "de suivi": "follow up", message: "message", courriel: "email", mail: "email",
    texto: "sms", canal: "channel", equipe: "team", montant: "amount", valeur: "value", devise: "currency", statut: "status", titre: "title",
    nom: "name", corps: "body", requete: "request", demande: "request", lien: "link", remerciement: "thank you", "de remerciement": "thank you",
    bienvenue: "welcome", "de bienvenue": "welcome", rappel: "reminder", rapport: "report",
    // Time
    deux: "two", trois: "three", quatre: "four", cinq: "five", sept: "seven", huit: "eight", dix: "ten", quinze: "fifteen", vingt: "twenty",
    trente: "thirty",
    semaine: "week", semaines: "weeks", jour: "day", jours: "days", heure: "hour", heures: "hours", seconde: "second", secondes: "seconds",
    mois: "month", matin: "morning", soir: "evening", nuit: "night", midi: "noon", minuit: "midnight", "plus tard": "later", premier: "first",
    premiere: "first", "1er": "1st", lundi: "monday", mardi: "tuesday", mercredi: "wednesday", jeudi: "thursday", vendredi: "friday",
    samedi: "saturday", dimanche: "sunday", lundis: "mondays", mardis: "tuesdays", mercredis: "wednesdays", jeudis: "thursdays",
    vendredis: "fridays", samedis: "saturdays", dimanches: "sundays", "tous les": "every", "toutes les": "every", chaque: "every",
    "tous les jours": "every day", "chaque jour": "every day", "toutes les heures": "every hour", "chaque heure": "every hour",
    "du lundi au vendredi": "every weekday", "jours ouvrables": "weekdays", "jours ouvres": "weekdays", "week end": "weekend",
    // Doing
    creer: "create", creez: "create", cree: "created", creee: "created", ouvrir: "open", ouvrez: "open", ouvre: "opens", ajouter: "add",
    ajoutez: "add", ajoute: "added", ajoutee: "added", envoyer: "send", envoie: "send", envoyez: "send", publier: "post",
    publiez: "post", publie: "post", poster: "post", prevenir: "notify", previens: "notify", prevenez: "notify", avertir: "notify",
    notifier: "notify", informer: "notify", alerter: "alert", appeler: "call", appelez: "call", planifier: "schedule", programmer: "schedule",
    attendre: "wait", attends: "wait", attendez: "wait", patienter: "wait", transmettre: "forward", relancer: "follow up",
    // Happening
    echoue: "fails", echouer: "fail", echec: "failure", "a echoue": "failed", refuse: "declined", refusee: "declined", rejete: "rejected",
    rejetee: "rejected", reussi: "succeeded", reussie: "succeeded", reussit: "succeeds", paye: "paid", payee: "paid", payer: "pay", paie: "pays",
    impaye: "unpaid", impayee: "unpaid", annule: "canceled", annulee: "canceled", annuler: "cancel", resilie: "canceled", modifie: "changed",
    modifiee: "changed", "mis a jour": "updated", "mise a jour": "updated", gagne: "won", gagnee: "won", perdu: "lost", perdue: "lost",
    ouvert: "opened", ouverte: "opened", recu: "received", recue: "received", arrive: "arrives", termine: "completed", terminee: "completed",
    finalise: "completed", finalisee: "completed", passe: "placed", passee: "placed", achete: "buys", abonne: "subscribes", inscrit: "signs up",
    // Comparing
    "superieur a": "greater than", "superieure a": "greater than", "plus de": "more than", "plus grand que": "greater than",
    "inferieur a": "less than", "inferieure a": "less than", "moins de": "less than", "au moins": "at least", "au plus": "at most",
    "egal a": "equal to", contient: "contains", "est defini": "is set", "different de": "is not",
  },
};
