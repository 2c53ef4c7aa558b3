<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AuditDialog</name>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Any ticket</source>
        <translation>Jedes Ticket</translation>
    </message>
    <message>
        <source>A ticket key, e.g. ZIT-1042 (Enter searches at once)</source>
        <translation>Ein Ticketschlüssel, z. B. ZIT-1042 (Eingabetaste sucht sofort)</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Any kind</source>
        <translation>Jede Art</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Jedes Datum</translation>
    </message>
    <message>
        <source>Search the whole history (newest first)</source>
        <translation>Den ganzen Verlauf durchsuchen (neueste zuerst)</translation>
    </message>
    <message>
        <source>&amp;Ticket</source>
        <translation>&amp;Ticket</translation>
    </message>
    <message>
        <source>&amp;Who</source>
        <translation>&amp;Wer</translation>
    </message>
    <message>
        <source>W&amp;hat</source>
        <translation>W&amp;as</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Von</translation>
    </message>
    <message>
        <source>t&amp;o</source>
        <translation>&amp;bis</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message numerus="yes">
        <source>Only the newest %Ln are shown: narrow the filters to see the rest.</source>
        <translation>
            <numerusform>Nur %Ln, das neueste, wird angezeigt: Filter eingrenzen, um den Rest zu sehen.</numerusform>
            <numerusform>Nur die neuesten %Ln werden angezeigt: Filter eingrenzen, um den Rest zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Times in {zone}</source>
        <translation>Zeiten in {zone}</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Ask again with the same filters (F5)</source>
        <translation>Mit denselben Filtern erneut abfragen (F5)</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Als CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the events shown, in this order, as CSV (UTC times)</source>
        <translation>Die angezeigten Ereignisse in dieser Reihenfolge als CSV speichern (Zeiten in UTC)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <extracomment>A display format of Qt: d day, MMM month, yyyy year</extracomment>
        <translation>d. MMM yyyy</translation>
    </message>
    <message>
        <source>A day in {zone}</source>
        <translation>Ein Tag in {zone}</translation>
    </message>
    <message>
        <source>Could not load the history: {message}</source>
        <translation>Der Verlauf konnte nicht geladen werden: {message}</translation>
    </message>
    <message>
        <source>Export the history</source>
        <translation>Verlauf exportieren</translation>
    </message>
    <message>
        <source>The history could not be written to
{path}

{reason}</source>
        <translation>Der Verlauf konnte nicht geschrieben werden nach
{path}

{reason}</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>Export fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln event(s) to {file}</source>
        <translation>
            <numerusform>%Ln Ereignis nach {file} exportiert</numerusform>
            <numerusform>%Ln Ereignisse nach {file} exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported no events to {file}</source>
        <translation>Keine Ereignisse nach {file} exportiert</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Times in {zone}</source>
        <translation>Zeiten in {zone}</translation>
    </message>
    <message>
        <source>Recorded by the console itself</source>
        <translation>Von der Konsole selbst erfasst</translation>
    </message>
</context>
<context>
    <name>BoardDelegate</name>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>BoardModel</name>
    <message>
        <source>{label} {instant}</source>
        <translation>{label}: {instant}</translation>
    </message>
    <message>
        <source>From {author}&apos;s handover (double-click to edit)</source>
        <translation>Aus der Übergabe von {author} (Doppelklick zum Bearbeiten)</translation>
    </message>
    <message>
        <source>Double-click or type to write a note for the next shift</source>
        <translation>Doppelklicken oder tippen, um eine Notiz für die nächste Schicht zu schreiben</translation>
    </message>
</context>
<context>
    <name>CalendarsDialog</name>
    <message>
        <source>Calendars and company holidays</source>
        <translation>Kalender und Betriebsferien</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Expand a calendar for its closed days and clock changes.</source>
        <translation>Einen Kalender aufklappen für seine geschlossenen Tage und Zeitumstellungen.</translation>
    </message>
    <message>
        <source>Maintenance windows</source>
        <translation>Wartungsfenster</translation>
    </message>
    <message>
        <source>Calendars</source>
        <translation>Kalender</translation>
    </message>
    <message>
        <source>Policy readings</source>
        <translation>Auslegungen der Richtlinie</translation>
    </message>
    <message>
        <source>Due date calculator</source>
        <translation>Fristenrechner</translation>
    </message>
    <message>
        <source>The company holiday periods kept in the console close this calendar too, and it closes on the public holidays of the presences</source>
        <translation>Die in der Konsole geführten Betriebsferien schließen auch diesen Kalender, und er schließt an den gesetzlichen Feiertagen der Standorte</translation>
    </message>
</context>
<context>
    <name>ClockExplanationView</name>
    <message>
        <source>What counted toward the target, what did not and why</source>
        <translation>Was auf die Zielzeit angerechnet wurde, was nicht, und warum</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>This sender is a customer</source>
        <translation>Dieser Absender ist ein Kunde</translation>
    </message>
    <message>
        <source>Type to find the customer</source>
        <translation>Tippen, um den Kunden zu finden</translation>
    </message>
    <message>
        <source>Only {address}</source>
        <translation>Nur {address}</translation>
    </message>
    <message>
        <source>Everyone at {domain}</source>
        <translation>Alle unter {domain}</translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation>(keine Domain)</translation>
    </message>
    <message>
        <source>Mail from {address} waits because no customer is known for it. Name its customer: the mail worker then opens its ticket, and later mail from it goes to that customer&apos;s tickets.</source>
        <translation>Mail von {address} wartet, weil kein Kunde dafür bekannt ist. Nennen Sie den Kunden: Der Mail-Dienst eröffnet dann das Ticket, und spätere Mail dieses Absenders geht an die Tickets dieses Kunden.</translation>
    </message>
    <message>
        <source>Name the customer</source>
        <translation>Kunden zuordnen</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Who speaks for it</source>
        <translation>Wer für ihn spricht</translation>
    </message>
</context>
<context>
    <name>Dispatcher</name>
    <message>
        <source>{problem}: nothing was saved</source>
        <translation>{problem}: Es wurde nichts gespeichert</translation>
    </message>
    <message>
        <source>{what} failed: {error}. The details are in {file}</source>
        <translation>{what} fehlgeschlagen: {error}. Die Einzelheiten stehen in {file}</translation>
    </message>
    <message>
        <source>connected to {database}</source>
        <translation>verbunden mit {database}</translation>
    </message>
    <message>
        <source>Live updates failed: {error}</source>
        <translation>Live-Aktualisierung fehlgeschlagen: {error}</translation>
    </message>
</context>
<context>
    <name>DueCalculator</name>
    <message>
        <source>ddd d MMM yyyy  HH:mm</source>
        <extracomment>A display format of Qt: ddd weekday, d day, MMM month, yyyy year, HH hour, mm minute</extracomment>
        <translation>ddd, d. MMM yyyy  HH:mm</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>Start at the time the dialog was opened</source>
        <translation>Ab dem Zeitpunkt beginnen, zu dem der Dialog geöffnet wurde</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <source>Shift handover</source>
        <translation>Schichtübergabe</translation>
    </message>
    <message>
        <source>How many hours ahead the board looks</source>
        <translation>Wie viele Stunden die Übersicht vorausschaut</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Load the board again, from now (F5)</source>
        <translation>Übersicht neu laden, ab jetzt (F5)</translation>
    </message>
    <message>
        <source>Note for the next shift</source>
        <translation>Notiz für die nächste Schicht</translation>
    </message>
    <message>
        <source>What the next shift should know: incidents in progress, calls booked, updates promised…</source>
        <translation>Was die nächste Schicht wissen sollte: laufende Störungen, vereinbarte Anrufe, zugesagte Rückmeldungen…</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Übergeben</translation>
    </message>
    <message>
        <source>Record this handover: the note and the ticket notes, for the window shown</source>
        <translation>Diese Übergabe festhalten: die Notiz und die Ticketnotizen, für das angezeigte Zeitfenster</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>Aktualisiert {time}</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>Not loaded</source>
        <translation>Nicht geladen</translation>
    </message>
    <message>
        <source>The board could not be loaded: {message}</source>
        <translation>Die Übersicht konnte nicht geladen werden: {message}</translation>
    </message>
    <message>
        <source>Choose who you are in Settings to acknowledge</source>
        <translation>Wählen Sie in den Einstellungen, wer Sie sind, um zu bestätigen</translation>
    </message>
    <message>
        <source>Someone else than the author acknowledges a handover</source>
        <translation>Eine Übergabe bestätigt jemand anderes als ihr Verfasser</translation>
    </message>
    <message>
        <source>Confirm that you have read this handover</source>
        <translation>Bestätigen, dass Sie diese Übergabe gelesen haben</translation>
    </message>
    <message>
        <source>Acknowledging…</source>
        <translation>Wird bestätigt…</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Handing over…</source>
        <translation>Wird übergeben…</translation>
    </message>
    <message>
        <source>Choose who you are in Settings to hand over.</source>
        <translation>Wählen Sie in den Einstellungen, wer Sie sind, um zu übergeben.</translation>
    </message>
    <message numerus="yes">
        <source>%n ticket note(s)</source>
        <translation>
            <numerusform>%n Ticketnotiz</numerusform>
            <numerusform>%n Ticketnotizen</numerusform>
        </translation>
    </message>
    <message>
        <source>no ticket notes</source>
        <translation>keinen Ticketnotizen</translation>
    </message>
    <message>
        <source>no window yet</source>
        <translation>noch keinem Zeitfenster</translation>
    </message>
    <message>
        <source>{author} hands over {window} with {notes}.</source>
        <translation>{author} übergibt {window} mit {notes}.</translation>
    </message>
</context>
<context>
    <name>HolidayEditor</name>
    <message>
        <source>ddd d MMM yyyy</source>
        <extracomment>A display format of Qt: ddd weekday, d day, MMM month, yyyy year</extracomment>
        <translation>ddd, d. MMM yyyy</translation>
    </message>
    <message>
        <source>As announced, e.g. Winter break</source>
        <translation>Wie angekündigt, z. B. Winterpause</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Discard the unsaved changes</source>
        <translation>Die ungespeicherten Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>No company holiday periods</source>
        <translation>Keine Betriebsferien</translation>
    </message>
    <message>
        <source>{title} — unsaved changes</source>
        <translation>{title} – ungespeicherte Änderungen</translation>
    </message>
</context>
<context>
    <name>LastHandoverBanner</name>
    <message>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message numerus="yes">
        <source>For {window}; %n ticket note(s)</source>
        <translation>
            <numerusform>Für {window}; %n Ticketnotiz</numerusform>
            <numerusform>Für {window}; %n Ticketnotizen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MailSettingsDialog</name>
    <message>
        <source>Team mailbox</source>
        <translation>Team-Postfach</translation>
    </message>
    <message>
        <source>How often the mail worker looks for new mail when the server cannot tell it (IDLE)</source>
        <translation>Wie oft der Mail-Dienst nach neuer Mail sieht, wenn der Server sie nicht meldet (IDLE)</translation>
    </message>
    <message>
        <source>none: the system&apos;s certificates only</source>
        <translation>keine: nur die Zertifikate des Systems</translation>
    </message>
    <message>
        <source>A file of certificates to trust besides the system&apos;s (a company&apos;s own authority), as the mail worker&apos;s machine sees it</source>
        <translation>Eine Datei mit Zertifikaten, denen neben denen des Systems vertraut wird (eine firmeneigene Zertifizierungsstelle), so wie der Rechner des Mail-Dienstes sie sieht</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Team address</source>
        <translation>Team-Adresse</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <source>Receiving (IMAP)</source>
        <translation>Empfang (IMAP)</translation>
    </message>
    <message>
        <source>Sending (SMTP)</source>
        <translation>Versand (SMTP)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Check every</source>
        <translation>Prüfen alle</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Zertifikate</translation>
    </message>
    <message>
        <source>Automated acknowledgement</source>
        <translation>Automatische Eingangsbestätigung</translation>
    </message>
    <message>
        <source>New tickets opened by mail get an automated acknowledgement for these policies:</source>
        <translation>Neue Tickets, die per Mail eröffnet werden, erhalten bei diesen Richtlinien eine automatische Eingangsbestätigung:</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Log in to both servers with the settings as typed</source>
        <translation>Mit den eingegebenen Einstellungen bei beiden Servern anmelden</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Load theirs</source>
        <translation>Deren Stand laden</translation>
    </message>
    <message>
        <source>Show the settings as the other lead saved them</source>
        <translation>Die Einstellungen so anzeigen, wie die andere Teamleitung sie gespeichert hat</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>never shown</source>
        <translation>wird nie angezeigt</translation>
    </message>
    <message>
        <source>Certificates to trust</source>
        <translation>Vertrauenswürdige Zertifikate</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>({servers} password kept)</source>
        <translation>(Passwort für {servers} hinterlegt)</translation>
    </message>
    <message>
        <source>and</source>
        <translation>und</translation>
    </message>
    <message>
        <source>Settings saved{kept}, but a password was not kept: {problems}</source>
        <translation>Einstellungen gespeichert{kept}, aber ein Passwort wurde nicht hinterlegt: {problems}</translation>
    </message>
    <message>
        <source>Not saved: another lead changed the team mailbox meanwhile (you saw version {version}). Load theirs, then make your change again.</source>
        <translation>Nicht gespeichert: Eine andere Teamleitung hat das Team-Postfach inzwischen geändert (Sie sahen Version {version}). Laden Sie deren Stand und nehmen Sie Ihre Änderung dann erneut vor.</translation>
    </message>
    <message>
        <source>Not saved: {message}</source>
        <translation>Nicht gespeichert: {message}</translation>
    </message>
    <message>
        <source>These are the settings as saved now (version {version}).</source>
        <translation>Dies sind die Einstellungen, wie sie jetzt gespeichert sind (Version {version}).</translation>
    </message>
    <message>
        <source>Trying…</source>
        <translation>Wird versucht…</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <source>New ticket</source>
        <translation>Neues Ticket</translation>
    </message>
    <message>
        <source>Loading the customers…</source>
        <translation>Kunden werden geladen…</translation>
    </message>
    <message>
        <source>Name or mail domain of the customer</source>
        <translation>Name oder Mail-Domain des Kunden</translation>
    </message>
    <message>
        <source>Choose the customer first: the severities are its policy&apos;s.</source>
        <translation>Zuerst den Kunden wählen: Die Schweregrade sind die seiner Richtlinie.</translation>
    </message>
    <message>
        <source>What is wrong, in a line</source>
        <translation>Was ist los, in einer Zeile</translation>
    </message>
    <message>
        <source>The customer&apos;s words: what they report, as they said or wrote it</source>
        <translation>Die Worte des Kunden: was er meldet, so wie er es gesagt oder geschrieben hat</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>Earlier:</source>
        <translation>Früher:</translation>
    </message>
    <message>
        <source>Me ({name}): take it</source>
        <translation>Ich ({name}): übernehmen</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>Ich</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>&amp;Kunde</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>Ka&amp;nal</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>&amp;Titel</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Eingegangen</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>The customers could not be loaded: {message}</source>
        <translation>Die Kunden konnten nicht geladen werden: {message}</translation>
    </message>
    <message>
        <source>{vendor} {policy} · plan {plan}</source>
        <translation>{vendor} {policy} · Tarif {plan}</translation>
    </message>
    <message>
        <source>24/7 escalation contact: {contact}</source>
        <translation>Eskalationskontakt rund um die Uhr: {contact}</translation>
    </message>
    <message>
        <source>Initial response: {promise} ({plan})</source>
        <translation>Erstreaktion: {promise} ({plan})</translation>
    </message>
    <message>
        <source>The submitted time is in the future</source>
        <translation>Der Eingangszeitpunkt liegt in der Zukunft</translation>
    </message>
    <message>
        <source>The submitted time is more than {hours} h ago: not before {earliest} (older tickets come in by import)</source>
        <translation>Der Eingangszeitpunkt liegt mehr als {hours} h zurück: nicht vor {earliest} (ältere Tickets kommen per Import)</translation>
    </message>
    <message>
        <source>Choose who you are in Settings first: a new ticket records who entered it</source>
        <translation>Wählen Sie zuerst in den Einstellungen, wer Sie sind: Ein neues Ticket hält fest, wer es erfasst hat</translation>
    </message>
    <message>
        <source>Choose the severity</source>
        <translation>Schweregrad wählen</translation>
    </message>
    <message>
        <source>Give the ticket a title</source>
        <translation>Dem Ticket einen Titel geben</translation>
    </message>
    <message numerus="yes">
        <source>The description is longer than %Ln characters</source>
        <translation>
            <numerusform>Die Beschreibung ist länger als %Ln Zeichen</numerusform>
            <numerusform>Die Beschreibung ist länger als %Ln Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose the customer</source>
        <translation>Kunden wählen</translation>
    </message>
    <message>
        <source>No customer&apos;s name or mail domain holds “{text}”</source>
        <translation>Kein Kundenname und keine Mail-Domain enthält „{text}“</translation>
    </message>
    <message>
        <source>Choose one of the {count} customers matching “{text}” from the list</source>
        <translation>Einen der {count} Kunden, die zu „{text}“ passen, aus der Liste wählen</translation>
    </message>
    <message>
        <source>Choose the customer from the list</source>
        <translation>Den Kunden aus der Liste wählen</translation>
    </message>
    <message>
        <source>Opening the ticket…</source>
        <translation>Ticket wird eröffnet…</translation>
    </message>
    <message>
        <source>Opens as {key} or the next free key</source>
        <translation>Schlüssel: {key} oder der nächste freie</translation>
    </message>
    <message>
        <source>nobody chosen</source>
        <translation>niemand gewählt</translation>
    </message>
    <message>
        <source>Recorded as entered by {who} at {time}. A call taken earlier (during an outage) may be dated back to {earliest}.</source>
        <translation>Wird als von {who} um {time} erfasst festgehalten. Ein früher angenommener Anruf (während eines Ausfalls) kann bis {earliest} zurückdatiert werden.</translation>
    </message>
    <message>
        <source>{span} ago</source>
        <translation>vor {span}</translation>
    </message>
    <message>
        <source>The clocks start {start}; recorded as entered by {who} at {time}. Not before {earliest}.</source>
        <translation>Die Uhren beginnen {start}; erfasst von {who} um {time}. Nicht vor {earliest}.</translation>
    </message>
    <message>
        <source>Not opened: {message}</source>
        <translation>Nicht eröffnet: {message}</translation>
    </message>
</context>
<context>
    <name>PresenceEditor</name>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Discard the unsaved changes</source>
        <translation>Die ungespeicherten Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>In force: {presences}</source>
        <translation>Gültig: {presences}</translation>
    </message>
    <message>
        <source>The public holidays of these places (observed days included) close the calendars that take company holidays</source>
        <translation>Die gesetzlichen Feiertage dieser Orte (einschließlich Ersatzfeiertagen) schließen die Kalender, die Betriebsferien berücksichtigen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>None named: the policy file&apos;s ({codes}) apply</source>
        <translation>Keine angegeben: Es gelten die der Richtliniendatei ({codes})</translation>
    </message>
    <message>
        <source>{title} — unsaved changes</source>
        <translation>{title} – ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Choose a country</source>
        <translation>Ein Land wählen</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>SLA compliance report</source>
        <translation>SLA-Erfüllungsbericht</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Compute again for the same days (F5)</source>
        <translation>Für dieselben Tage neu berechnen (F5)</translation>
    </message>
    <message>
        <source>Tickets submitted</source>
        <translation>Tickets eingegangen</translation>
    </message>
    <message>
        <source>&amp;from</source>
        <translation>&amp;von</translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation>&amp;bis</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Success = met ÷ (met + breached); pending clocks are left out. A breach under an earlier severity counts. Severity is the ticket&apos;s current one.</source>
        <translation>Erfolgsquote = eingehalten ÷ (eingehalten + verletzt); offene Uhren zählen nicht mit. Eine Verletzung unter einem früheren Schweregrad zählt. Schweregrad ist der aktuelle des Tickets.</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Als CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the lines shown, in this order, as CSV</source>
        <translation>Die angezeigten Zeilen in dieser Reihenfolge als CSV speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <extracomment>A display format of Qt: d day, MMM month, yyyy year</extracomment>
        <translation>d. MMM yyyy</translation>
    </message>
    <message>
        <source>A day in {zone} (both days included)</source>
        <translation>Ein Tag in {zone} (beide Tage eingeschlossen)</translation>
    </message>
    <message>
        <source>Computing the clocks…</source>
        <translation>Uhren werden berechnet…</translation>
    </message>
    <message>
        <source>No report</source>
        <translation>Kein Bericht</translation>
    </message>
    <message>
        <source>Could not compute the report: {message}</source>
        <translation>Der Bericht konnte nicht berechnet werden: {message}</translation>
    </message>
    <message>
        <source>clocks as of {time}</source>
        <translation>Uhren, Stand {time}</translation>
    </message>
    <message>
        <source>No clock with a timed target on these days {when}</source>
        <translation>Keine Uhr mit befristetem Ziel an diesen Tagen {when}</translation>
    </message>
    <message>
        <source>Success {rate}</source>
        <translation>Erfolgsquote {rate}</translation>
    </message>
    <message>
        <source>{count} met</source>
        <translation>{count} eingehalten</translation>
    </message>
    <message>
        <source>{count} breached</source>
        <translation>{count} verletzt</translation>
    </message>
    <message>
        <source>{count} pending</source>
        <translation>{count} offen</translation>
    </message>
    <message>
        <source>Export the SLA report</source>
        <translation>SLA-Bericht exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>Export fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>The report could not be written to
{path}

{reason}</source>
        <translation>Der Bericht konnte nicht geschrieben werden nach
{path}

{reason}</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln line(s) to {file}</source>
        <translation>
            <numerusform>%Ln Zeile nach {file} exportiert</numerusform>
            <numerusform>%Ln Zeilen nach {file} exportiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SeverityDialog</name>
    <message>
        <source>Change the severity of {keys}</source>
        <translation>Schweregrad ändern: {keys}</translation>
    </message>
    <message>
        <source>Why? Choose a rule of the policy or type</source>
        <translation>Warum? Eine Regel der Richtlinie wählen oder eingeben</translation>
    </message>
    <message>
        <source>The customer was notified ({vendor}&apos;s policy requires it)</source>
        <translation>Der Kunde wurde benachrichtigt (die Richtlinie von {vendor} verlangt es)</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Change severity</source>
        <translation>Schweregrad ändern</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>{count} of {vendor}</source>
        <translation>{count} von {vendor}</translation>
    </message>
    <message>
        <source>Current severity</source>
        <translation>Aktueller Schweregrad</translation>
    </message>
    <message>
        <source>New severity</source>
        <translation>Neuer Schweregrad</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Left out, already at {severity}: {keys}.</source>
        <translation>Ausgelassen, bereits {severity}: {keys}.</translation>
    </message>
    <message>
        <source>{computing} ({done} of {total})</source>
        <translation>{computing} ({done} von {total})</translation>
    </message>
    <message>
        <source>As of {time}; changed values in bold. Breaches that already happened stay in the history.</source>
        <translation>Stand {time}; geänderte Werte fett. Bereits eingetretene Verletzungen bleiben im Verlauf.</translation>
    </message>
    <message>
        <source>Could not compute the new deadlines: {message}</source>
        <translation>Die neuen Fristen konnten nicht berechnet werden: {message}</translation>
    </message>
    <message>
        <source>the preview could not be computed</source>
        <translation>die Vorschau konnte nicht berechnet werden</translation>
    </message>
    <message>
        <source>every chosen ticket is at this severity already</source>
        <translation>jedes gewählte Ticket hat diesen Schweregrad bereits</translation>
    </message>
    <message>
        <source>waiting for the preview</source>
        <translation>warte auf die Vorschau</translation>
    </message>
    <message>
        <source>give a reason</source>
        <translation>einen Grund angeben</translation>
    </message>
    <message>
        <source>confirm the customer was notified</source>
        <translation>bestätigen, dass der Kunde benachrichtigt wurde</translation>
    </message>
</context>
<context>
    <name>StagedEditor</name>
    <message>
        <source>Stage this {item} (saved with Save)</source>
        <translation>{item} vormerken (gespeichert wird mit „Speichern“)</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Keep this {item}</source>
        <translation>{item} behalten</translation>
    </message>
    <message>
        <source>Stage removing the selected {item}</source>
        <translation>Entfernen vormerken (ausgewählt: {item})</translation>
    </message>
    <message>
        <source>Save the {what} and recompute the due instants</source>
        <translation>{what} speichern und die Fristen neu berechnen</translation>
    </message>
    <message>
        <source>No unsaved changes</source>
        <translation>Keine ungespeicherten Änderungen</translation>
    </message>
    <message>
        <source>Could not count the moved due instants: {message}</source>
        <translation>Die verschobenen Fristen konnten nicht gezählt werden: {message}</translation>
    </message>
    <message>
        <source>How many open tickets&apos; due instants the unsaved {edits} would move</source>
        <translation>Wie viele Fristen offener Tickets die ungespeicherten {edits} verschieben würden</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message numerus="yes">
        <source>Saved; %Ln due instant(s) moved</source>
        <translation>
            <numerusform>Gespeichert; %Ln Frist verschoben</numerusform>
            <numerusform>Gespeichert; %Ln Fristen verschoben</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: {message}</source>
        <translation>Nicht gespeichert: {message}</translation>
    </message>
    <message>
        <source>Could not read {what}: {message}</source>
        <translation>{what} konnten nicht gelesen werden: {message}</translation>
    </message>
</context>
<context>
    <name>SuccessChart</name>
    <message>
        <source>Success per policy and metric</source>
        <translation>Erfolgsquote je Richtlinie und Kennzahl</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>No clock with a timed target in these days</source>
        <translation>Keine Uhr mit befristetem Ziel an diesen Tagen</translation>
    </message>
    <message>
        <source>Success per policy · metric</source>
        <translation>Erfolgsquote je Richtlinie · Kennzahl</translation>
    </message>
</context>
<context>
    <name>TriageDialog</name>
    <message>
        <source>Triage</source>
        <translation>Triage</translation>
    </message>
    <message>
        <source>Mail from senders no customer is known for, and mail that could not be read, waits here for a team lead.</source>
        <translation>Mail von Absendern, zu denen kein Kunde bekannt ist, und Mail, die nicht gelesen werden konnte, wartet hier auf eine Teamleitung.</translation>
    </message>
    <message>
        <source>Choose a message to read it.</source>
        <translation>Eine Nachricht wählen, um sie zu lesen.</translation>
    </message>
    <message>
        <source>This sender is a customer…</source>
        <translation>Absender ist Kunde…</translation>
    </message>
    <message>
        <source>Name the sender&apos;s customer: the mail worker then opens the ticket</source>
        <translation>Den Kunden des Absenders nennen: Der Mail-Dienst eröffnet dann das Ticket</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Put the message aside for good: no ticket is opened</source>
        <translation>Die Nachricht endgültig beiseitelegen: Es wird kein Ticket eröffnet</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Triage ({count})</source>
        <translation>Triage ({count})</translation>
    </message>
    <message>
        <source>Nothing waits for a lead.</source>
        <translation>Nichts wartet auf eine Teamleitung.</translation>
    </message>
    <message>
        <source>Triage could not be read: {message}</source>
        <translation>Triage konnte nicht gelesen werden: {message}</translation>
    </message>
    <message>
        <source>{contact} now names {customer}: the mail worker opens its ticket on its next round.</source>
        <translation>{contact} steht jetzt für {customer}: Der Mail-Dienst eröffnet das Ticket bei seinem nächsten Durchlauf.</translation>
    </message>
    <message>
        <source>Discarded: {subject}</source>
        <translation>Verworfen: {subject}</translation>
    </message>
    <message>
        <source>Not done: {message}</source>
        <translation>Nicht erledigt: {message}</translation>
    </message>
</context>
<context>
    <name>WhoAreYouDialog</name>
    <message>
        <source>Support Console: who are you?</source>
        <translation>Support Console: Wer sind Sie?</translation>
    </message>
    <message>
        <source>Choose who you are in this database. What you do is recorded under this name, and My open shows this person&apos;s tickets. You can change it later in Settings (Who I am).</source>
        <translation>Wählen Sie, wer Sie in dieser Datenbank sind. Was Sie tun, wird unter diesem Namen festgehalten, und „Meine offenen“ zeigt die Tickets dieser Person. Sie können das später in den Einstellungen ändern (Wer ich bin).</translation>
    </message>
</context>
<context>
    <name>_Timeline</name>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>words</name>
    <message>
        <source>System</source>
        <comment>language</comment>
        <translation>System</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>No events</source>
        <translation>Keine Ereignisse</translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln Ereignis</numerusform>
            <numerusform>%Ln Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>Only team leads edit calendars</source>
        <translation>Nur Teamleitungen bearbeiten Kalender</translation>
    </message>
    <message>
        <source>edits</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>edit</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>the saved values</source>
        <translation>Die gespeicherten Werte</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Erster Tag</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Company holiday periods</source>
        <translation>Betriebsferien</translation>
    </message>
    <message>
        <source>periods</source>
        <translation>Zeiträume</translation>
    </message>
    <message>
        <source>period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>the company holiday periods</source>
        <translation>Die Betriebsferien</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Presences</source>
        <translation>Standorte</translation>
    </message>
    <message>
        <source>whole country</source>
        <translation>ganzes Land</translation>
    </message>
    <message>
        <source>presences</source>
        <translation>Standorte</translation>
    </message>
    <message>
        <source>presence</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>the presences</source>
        <translation>Die Standorte</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalender</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Geöffnet</translation>
    </message>
    <message>
        <source>Company
holidays</source>
        <translation>Betriebs-
ferien</translation>
    </message>
    <message>
        <source>Why here?</source>
        <translation>Warum hier?</translation>
    </message>
    <message>
        <source>The database cannot be reached: nothing was saved. Countdowns go on; try again when the connection is back.</source>
        <translation>Die Datenbank ist nicht erreichbar: Es wurde nichts gespeichert. Die Restzeiten laufen weiter; versuchen Sie es erneut, wenn die Verbindung wieder steht.</translation>
    </message>
    <message>
        <source>The database gave up waiting ({reason}): another console or a long task may be holding what this needs. Nothing was saved; try again in a moment.</source>
        <translation>Die Datenbank hat das Warten aufgegeben ({reason}): Eine andere Konsole oder eine lange Aufgabe hält vielleicht, was hierfür nötig ist. Es wurde nichts gespeichert; versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Add a note for the next shift…</source>
        <translation>Notiz für die nächste Schicht hinzufügen…</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Countdown</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Handover note</source>
        <translation>Übergabenotiz</translation>
    </message>
    <message>
        <source>past due at the start of the window</source>
        <translation>zu Beginn des Zeitfensters überfällig</translation>
    </message>
    <message>
        <source>due before the window ends, soonest first</source>
        <translation>fällig vor Ende des Zeitfensters, früheste zuerst</translation>
    </message>
    <message>
        <source>closed now, their calendar opens during the window</source>
        <translation>jetzt geschlossen, ihr Kalender öffnet im Zeitfenster</translation>
    </message>
    <message>
        <source>clocks stopped until the customer answers</source>
        <translation>Uhren angehalten, bis der Kunde antwortet</translation>
    </message>
    <message>
        <source>nobody owns these yet</source>
        <translation>noch niemandem zugewiesen</translation>
    </message>
    <message>
        <source>Was due</source>
        <translation>War fällig</translation>
    </message>
    <message>
        <source>Breaches</source>
        <translation>Verletzung</translation>
    </message>
    <message>
        <source>Resumes</source>
        <translation>Läuft weiter</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>At</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <source>Nobody chosen</source>
        <translation>Niemand gewählt</translation>
    </message>
    <message>
        <source>{error}: nothing can be changed; restart the console</source>
        <translation>{error}: Es kann nichts geändert werden; starten Sie die Konsole neu</translation>
    </message>
    <message>
        <source>the database login could not be read</source>
        <translation>die Datenbankanmeldung konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Login unknown</source>
        <translation>Anmeldung unbekannt</translation>
    </message>
    <message>
        <source>{person} · login</source>
        <translation>{person} · Anmeldung</translation>
    </message>
    <message>
        <source>On a team database you are your login ({name}); Settings cannot change it</source>
        <translation>In einer Team-Datenbank sind Sie Ihre Anmeldung ({name}); die Einstellungen ändern das nicht</translation>
    </message>
    <message>
        <source>{nobody} · choose who you are in Settings</source>
        <translation>{nobody} · wählen Sie in den Einstellungen, wer Sie sind</translation>
    </message>
    <message>
        <source>Nothing can be changed until you choose who you are (Console ▸ Settings)</source>
        <translation>Nichts kann geändert werden, bis Sie wählen, wer Sie sind (Konsole ▸ Einstellungen)</translation>
    </message>
    <message>
        <source>Who you are on this database file: change it in Settings (Who I am)</source>
        <translation>Wer Sie in dieser Datenbankdatei sind: in den Einstellungen ändern (Wer ich bin)</translation>
    </message>
    <message>
        <source>{name} (not in this database)</source>
        <translation>{name} (nicht in dieser Datenbank)</translation>
    </message>
    <message>
        <source>Only a team lead changes the team mailbox: you see its settings as they are.</source>
        <translation>Nur eine Teamleitung ändert das Team-Postfach: Sie sehen seine Einstellungen, wie sie sind.</translation>
    </message>
    <message>
        <source>not tried yet</source>
        <translation>noch nicht versucht</translation>
    </message>
    <message>
        <source>None (a server on this machine only)</source>
        <translation>Keine (nur für einen Server auf diesem Rechner)</translation>
    </message>
    <message>
        <source>Logged in to {server}, {folder} opened</source>
        <translation>Angemeldet bei {server}, {folder} geöffnet</translation>
    </message>
    <message>
        <source>Logged in to {server}</source>
        <translation>Angemeldet bei {server}</translation>
    </message>
    <message>
        <source>No password: type it above ({error})</source>
        <translation>Kein Passwort: oben eingeben ({error})</translation>
    </message>
    <message>
        <source>the team address</source>
        <translation>die Team-Adresse</translation>
    </message>
    <message>
        <source>empty: keep the stored one</source>
        <translation>leer: das hinterlegte behalten</translation>
    </message>
    <message>
        <source>kept in this machine&apos;s keyring</source>
        <translation>wird im Schlüsselbund dieses Rechners hinterlegt</translation>
    </message>
    <message>
        <source>Open ticket</source>
        <translation>Ticket eröffnen</translation>
    </message>
    <message>
        <source>d MMM yyyy  HH:mm</source>
        <extracomment>A display format of Qt: d day, MMM month, yyyy year, HH hour, mm minute</extracomment>
        <translation>d. MMM yyyy  HH:mm</translation>
    </message>
    <message>
        <source>no escalation contact</source>
        <translation>kein Eskalationskontakt</translation>
    </message>
    <message>
        <source>Computing the new deadlines…</source>
        <translation>Neue Fristen werden berechnet…</translation>
    </message>
    <message>
        <source>Each clock keeps its start: the new severity&apos;s target counts from when the clock started, so a higher severity can breach a clock at once (the customer has waited since then). The preview below shows it before you confirm.</source>
        <translation>Jede Uhr behält ihren Start: Die Zielzeit des neuen Schweregrads zählt ab dem Start der Uhr, daher kann ein höherer Schweregrad eine Uhr sofort verletzen (der Kunde wartet seitdem). Die Vorschau unten zeigt es, bevor Sie bestätigen.</translation>
    </message>
    <message>
        <source>Support Console: the database cannot be opened</source>
        <translation>Support Console: Die Datenbank kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>The console cannot open {database}.</source>
        <translation>Die Konsole kann {database} nicht öffnen.</translation>
    </message>
    <message>
        <source>Nothing was changed</source>
        <translation>Es wurde nichts geändert</translation>
    </message>
    <message>
        <source>{reason}.

How do you want to go on?</source>
        <translation>{reason}.

Wie möchten Sie fortfahren?</translation>
    </message>
    <message>
        <source>Choose another in Settings…</source>
        <translation>In den Einstellungen eine andere wählen…</translation>
    </message>
    <message>
        <source>Use the default database</source>
        <translation>Die Standarddatenbank verwenden</translation>
    </message>
    <message>
        <source>Start a new database there</source>
        <translation>Dort eine neue Datenbank anlegen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Eingegangen</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Why it waits</source>
        <translation>Warum sie wartet</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
    <message>
        <source>Only a team lead names a sender&apos;s customer or discards a message.</source>
        <translation>Nur eine Teamleitung ordnet einem Absender einen Kunden zu oder verwirft eine Nachricht.</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>(no sender)</source>
        <translation>(kein Absender)</translation>
    </message>
    <message>
        <source>The message itself was not kept: only what the list shows is known of it.</source>
        <translation>Die Nachricht selbst wurde nicht aufbewahrt: Bekannt ist nur, was die Liste zeigt.</translation>
    </message>
    <message>
        <source>The message cannot be read ({error}). Its source:

{source}</source>
        <translation>Die Nachricht kann nicht gelesen werden ({error}). Ihr Quelltext:

{source}</translation>
    </message>
    <message>
        <source>From: {sender}</source>
        <translation>Von: {sender}</translation>
    </message>
    <message>
        <source>To: {recipients}</source>
        <translation>An: {recipients}</translation>
    </message>
    <message>
        <source>Date: {date}</source>
        <translation>Datum: {date}</translation>
    </message>
    <message>
        <source>Subject: {subject}</source>
        <translation>Betreff: {subject}</translation>
    </message>
    <message>
        <source>{name} ({type}, {size})</source>
        <translation>{name} ({type}, {size})</translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln Byte</numerusform>
            <numerusform>%Ln Byte</numerusform>
        </translation>
    </message>
    <message>
        <source>Attachments: {names}</source>
        <translation>Anhänge: {names}</translation>
    </message>
    <message>
        <source>no customer is known for the sender</source>
        <translation>zum Absender ist kein Kunde bekannt</translation>
    </message>
    <message>
        <source>could not be read</source>
        <translation>konnte nicht gelesen werden</translation>
    </message>
</context>
</TS>
