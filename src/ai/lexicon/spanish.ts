// Spanish → the planner's English words. Keys are lower-case and accent-folded; several words are
// one key. An empty value drops the word.
import type { LanguageLexicon } from "./language";

export const spanish: LanguageLexicon = {
  code: "es",
  name: "Spanish",
  markers: [
    "cuando", "un", "luego", "sino", "el", "los", "las", "del", "al", "se", "es", "una", "y", "enviar", "crear", "anadir", "agregar", "publicar", "cada",
    "todos", "todas", "nuevo", "nueva", "pago", "factura", "suscripcion", "cliente", "para", "con", "su", "esperar", "alguien",
  ],
  words: {
    // Clause structure
    cuando: "when", "cada vez que": "whenever", "en cuanto": "as soon as", "tan pronto como": "as soon as", si: "if", "solo si": "only if",
    "si no": "otherwise", sino: "otherwise", "de lo contrario": "otherwise", "en caso contrario": "otherwise", y: "and", e: "and",
    "y luego": "and then", "y despues": "and then", luego: "then", despues: "later", "despues de": "after", tambien: "also",
    "y tambien": "and also", o: "or", pero: "but",
    // Small words
    el: "the", la: "the", los: "the", las: "the", un: "a", una: "a", unos: "", unas: "", del: "of the", al: "to the", de: "of", a: "to", en: "in",
    con: "with", por: "by", para: "for", que: "", se: "", su: "their", sus: "their", le: "them", les: "them", lo: "it", mi: "my", me: "me",
    nuestro: "our", nuestra: "our", es: "is", son: "are", esta: "is", "ha sido": "has been", sido: "been", no: "not", nada: "nothing",
    "no hacer nada": "do nothing", hacer: "do", alguien: "someone", nuevo: "new", nueva: "new", nuevos: "new", nuevas: "new", otro: "another",
    otra: "another",
    // Things
    pago: "payment", pagos: "payments", tarjeta: "card", factura: "invoice", facturas: "invoices", suscripcion: "subscription",
    suscripciones: "subscriptions", suscriptor: "subscriber", cliente: "customer", clientes: "customers", contacto: "contact", persona: "person",
    trato: "deal", negocio: "deal", oportunidad: "opportunity", venta: "sale", "una compra": "a purchase", "la compra": "the purchase",
    pedido: "order", comprador: "buyer", ticket: "ticket", incidencia: "issue", problema: "issue", error: "bug", tarea: "task",
    actividad: "activity", llamada: "call", reunion: "meeting", seguimiento: "follow up", mensaje: "message", correo: "email",
    "correo electronico": "email", canal: "channel", equipo: "team", importe: "amount", monto: "amount", cantidad: "amount", valor: "value",
    moneda: "currency", estado: "status", titulo: "title", nombre: "name", bienvenida: "welcome", "de bienvenida": "welcome",
    recordatorio: "reminder", informe: "report", enlace: "link",
    // Time
    dos: "two", tres: "three", cuatro: "four", cinco: "five", seis: "six", siete: "seven", ocho: "eight", diez: "ten", quince: "fifteen",
    veinte: "twenty", treinta: "thirty",
    semana: "week", semanas: "weeks", dia: "day", dias: "days", hora: "hour", horas: "hours", minuto: "minute", minutos: "minutes",
    segundo: "second", segundos: "seconds", mes: "month", manana: "morning", noche: "night", mediodia: "noon", medianoche: "midnight",
    "mas tarde": "later", primer: "first", primero: "first", lunes: "monday", martes: "tuesday", miercoles: "wednesday", jueves: "thursday",
    viernes: "friday", sabado: "saturday", domingo: "sunday", sabados: "saturdays", domingos: "sundays", cada: "every", "todos los": "every",
    "todas las": "every", "todos los dias": "every day", "cada dia": "every day", "a las": "at", "a la": "at", "de lunes a viernes": "every weekday",
    "dias laborables": "weekdays", "fin de semana": "weekend", "cada hora": "every hour",
    // Doing
    crear: "create", crea: "create", cree: "create", abrir: "open", abra: "open", anadir: "add", anade: "add", agregar: "add", agrega: "add",
    enviar: "send", envia: "send", enviarle: "send them", enviale: "send them", mandar: "send", manda: "send", mandarle: "send them",
    publicar: "post", publica: "post", avisar: "notify", avisa: "notify", notificar: "notify", alertar: "alert", llamar: "call",
    programar: "schedule", agendar: "schedule", planificar: "schedule", esperar: "wait", espera: "wait", reenviar: "forward",
    // Happening
    falla: "fails", fallar: "fail", falle: "fails", fallido: "failed", fallida: "failed", rechazado: "declined", rechazada: "declined",
    rechaza: "declines", "se rechaza": "is declined", exitoso: "successful", exitosa: "successful", "con exito": "successfully",
    completa: "completes", "se completa": "completes", completado: "completed", completada: "completed", pagado: "paid", pagada: "paid",
    paga: "pays", "se paga": "is paid", cancela: "cancels", "se cancela": "is canceled", cancelado: "canceled", cancelada: "canceled",
    actualiza: "updates", "se actualiza": "is updated", actualizado: "updated", actualizada: "updated", modificado: "changed", cambia: "changes",
    gana: "wins", "se gana": "is won", ganado: "won", ganada: "won", pierde: "loses", perdido: "lost", abre: "opens", "se abre": "is opened",
    abierto: "opened", abierta: "opened", "se crea": "is created", creado: "created", creada: "created", "se anade": "is added",
    anadido: "added", anadida: "added", llega: "arrives", recibe: "receives", recibido: "received", "se recibe": "is received",
    suscribe: "subscribes", "se suscribe": "subscribes", compra: "buys", compro: "bought",
    // Comparing
    "mayor que": "greater than", "mayor a": "greater than", "mas de": "more than", "mas que": "more than", "menor que": "less than",
    "menor a": "less than", "menos de": "less than", "al menos": "at least", "como minimo": "at least", "igual a": "equal to",
    contiene: "contains",
  },
};
