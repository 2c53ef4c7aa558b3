<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Support Console</source>
        <translation>Über Support Console</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>could not be read: {message}</source>
        <translation>konnte nicht gelesen werden: {message}</translation>
    </message>
</context>
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
    <name>Composer</name>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Put the text back; nothing is recorded (Ctrl+Z)</source>
        <translation>Den Text zurückholen; nichts wird erfasst (Strg+Z)</translation>
    </message>
    <message>
        <source>Where the customer was told</source>
        <translation>Wo der Kunde informiert wurde</translation>
    </message>
    <message>
        <source>Where the customer was told: here, or elsewhere (recorded here)</source>
        <translation>Wo der Kunde informiert wurde: hier oder anderswo (hier erfasst)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Undo send</source>
        <translation>Senden rückgängig machen</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisierung</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Send by e-mail</source>
        <translation>E-Mail senden</translation>
    </message>
    <message>
        <source>Send by e-mail from the team mailbox, or record where the customer was told</source>
        <translation>Per E-Mail aus dem Team-Postfach senden oder erfassen, wo der Kunde informiert wurde</translation>
    </message>
    <message>
        <source>Recording in {seconds} s</source>
        <translation>Wird in {seconds} s erfasst</translation>
    </message>
    <message>
        <source>Sending in {seconds} s</source>
        <translation>Wird in {seconds} s gesendet</translation>
    </message>
    <message>
        <source>{key}: recording in {seconds} s</source>
        <translation>{key}: wird in {seconds} s erfasst</translation>
    </message>
    <message>
        <source>{key}: sending in {seconds} s</source>
        <translation>{key}: wird in {seconds} s gesendet</translation>
    </message>
    <message>
        <source>An internal note for colleagues… (Ctrl+Enter adds it)</source>
        <translation>Eine interne Notiz für Kollegen… (Strg+Eingabe fügt sie hinzu)</translation>
    </message>
    <message>
        <source>Internal: the customer never sees it; no clock moves.</source>
        <translation>Intern: Der Kunde sieht sie nie; keine Uhr ändert sich.</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>In a line, what you told the customer… (Ctrl+Enter records it)</source>
        <translation>In einer Zeile, was Sie dem Kunden gesagt haben… (Strg+Eingabe erfasst es)</translation>
    </message>
    <message>
        <source>Recorded as said elsewhere.</source>
        <translation>Wird als anderswo mitgeteilt erfasst.</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Erfassen</translation>
    </message>
    <message>
        <source>{mode} to the customer by e-mail… (Ctrl+Enter sends)</source>
        <translation>{mode} an den Kunden per E-Mail… (Strg+Eingabe sendet)</translation>
    </message>
    <message>
        <source>Sent by e-mail from the team mailbox; the message shows when it left.</source>
        <translation>Wird per E-Mail aus dem Team-Postfach gesendet; die Nachricht zeigt, wann sie hinausging.</translation>
    </message>
    <message>
        <source>Waits in the outbox until a lead sets up the team mailbox.</source>
        <translation>Wartet im Postausgang, bis eine Teamleitung das Team-Postfach einrichtet.</translation>
    </message>
    <message>
        <source>{mode} to the customer… (Ctrl+Enter sends)</source>
        <translation>{mode} an den Kunden… (Strg+Eingabe sendet)</translation>
    </message>
    <message>
        <source>Recorded, not sent: the console has no mail channel yet.</source>
        <translation>Erfasst, nicht gesendet: Die Konsole hat noch keinen Mail-Kanal.</translation>
    </message>
    <message>
        <source>Recorded here, not sent: choose Send by e-mail to mail it.</source>
        <translation>Hier erfasst, nicht gesendet: Wählen Sie „E-Mail senden“, um sie zu verschicken.</translation>
    </message>
    <message>
        <source>Stops the initial response clock.</source>
        <translation>Stoppt die Uhr der Erstreaktion.</translation>
    </message>
    <message>
        <source>Re-arms the periodic update clock.</source>
        <translation>Startet die Uhr der regelmäßigen Aktualisierung neu.</translation>
    </message>
    <message>
        <source>This ticket has no periodic update clock.</source>
        <translation>Dieses Ticket hat keine Uhr für regelmäßige Aktualisierungen.</translation>
    </message>
    <message>
        <source>Too long: {count} characters, at most {most}.</source>
        <translation>Zu lang: {count} Zeichen, höchstens {most}.</translation>
    </message>
    <message>
        <source>This console cannot change tickets now: see who you are in the status bar.</source>
        <translation>Diese Konsole kann Tickets gerade nicht ändern: Sehen Sie in der Statusleiste, wer Sie sind.</translation>
    </message>
    <message>
        <source>{action} (Ctrl+Enter)</source>
        <translation>{action} (Strg+Eingabe)</translation>
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
    <name>ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
</context>
<context>
    <name>DetailDock</name>
    <message>
        <source>Show details</source>
        <translation>Details anzeigen</translation>
    </message>
    <message>
        <source>Show details: the selected ticket&apos;s clocks and conversation</source>
        <translation>Details anzeigen: Uhren und Unterhaltung des ausgewählten Tickets</translation>
    </message>
    <message>
        <source>Show details ({shortcut})</source>
        <translation>Details anzeigen ({shortcut})</translation>
    </message>
    <message>
        <source>Select a ticket to see its clocks and history</source>
        <translation>Wählen Sie ein Ticket, um seine Uhren und seinen Verlauf zu sehen</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Ticket details</source>
        <translation>Ticketdetails</translation>
    </message>
    <message>
        <source>No SLA clock has started.</source>
        <translation>Es wurde noch keine SLA-Uhr gestartet.</translation>
    </message>
    <message>
        <source>SLA clocks · business time</source>
        <translation>SLA-Uhren · Geschäftszeit</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>24/7 escalation</source>
        <translation>Eskalation rund um die Uhr</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Maintenance windows (next 7 days)</source>
        <translation>Wartungsfenster (nächste 7 Tage)</translation>
    </message>
    <message>
        <source>Policy readings</source>
        <translation>Auslegungen der Richtlinie</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>Resize the conversation</source>
        <translation>Größe der Unterhaltung ändern</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) of the policy</source>
        <translation>
            <numerusform>%n Auslegung der Richtlinie</numerusform>
            <numerusform>%n Auslegungen der Richtlinie</numerusform>
        </translation>
    </message>
    <message>
        <source>{time} in your time zone</source>
        <translation>{time} in Ihrer Zeitzone</translation>
    </message>
    <message>
        <source>{clause}: “{quote}”</source>
        <translation>{clause}: „{quote}“</translation>
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
    <name>KeyboardShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Kürzel</translation>
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
    <name>MailChannel</name>
    <message>
        <source>Team mailbox…</source>
        <translation>Team-Postfach…</translation>
    </message>
    <message>
        <source>Triage…</source>
        <translation>Triage…</translation>
    </message>
    <message>
        <source>The mail state could not be read: {message}</source>
        <translation>Der Mail-Zustand konnte nicht gelesen werden: {message}</translation>
    </message>
    <message>
        <source>This console runs the mail worker while it is open.</source>
        <translation>Diese Konsole betreibt den Mail-Dienst, solange sie geöffnet ist.</translation>
    </message>
    <message>
        <source>Triage ({count})…</source>
        <translation>Triage ({count})…</translation>
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
    <name>MainWindow</name>
    <message>
        <source>Search tickets</source>
        <translation>Tickets durchsuchen</translation>
    </message>
    <message>
        <source>Search key, customer or title  (Ctrl+F)</source>
        <translation>Schlüssel, Kunde oder Titel suchen  (Strg+F)</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Suche speichern</translation>
    </message>
    <message>
        <source>Save this search as a queue (Ctrl+D)</source>
        <translation>Diese Suche als Warteschlange speichern (Strg+D)</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>The chosen queue&apos;s tickets, the most urgent first; a row&apos;s countdown says when it is overdue or close to its target</source>
        <translation>Die Tickets der gewählten Warteschlange, die dringendsten zuerst; die Restzeit einer Zeile zeigt, wann es überfällig ist oder seiner Zielzeit nahe kommt</translation>
    </message>
    <message>
        <source>Resize the queue list</source>
        <translation>Größe der Warteschlangenliste ändern</translation>
    </message>
    <message>
        <source>Resize the ticket details</source>
        <translation>Größe der Ticketdetails ändern</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Handover</source>
        <translation>Übergabe</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Datenbank: {database}</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Ticket</source>
        <translation>&amp;Ticket</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Neu…</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>&amp;Warteschlange</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>&amp;Konsole</translation>
    </message>
    <message>
        <source>Calendars…</source>
        <translation>Kalender…</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Verlauf…</translation>
    </message>
    <message>
        <source>SLA report…</source>
        <translation>SLA-Bericht…</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Schichtübergabe</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>About Support Console</source>
        <translation>Über Support Console</translation>
    </message>
    <message>
        <source>{what} could not be loaded: {reason}</source>
        <translation>{what} konnte nicht geladen werden: {reason}</translation>
    </message>
    <message>
        <source>The queue</source>
        <translation>Die Warteschlange</translation>
    </message>
    <message>
        <source>The people</source>
        <translation>Die Personenliste</translation>
    </message>
    <message>
        <source>The company holiday periods</source>
        <translation>Die Liste der Betriebsferien</translation>
    </message>
    <message>
        <source>Ticket {key}</source>
        <translation>Ticket {key}</translation>
    </message>
    <message>
        <source>● connected</source>
        <translation>● verbunden</translation>
    </message>
    <message>
        <source>● offline</source>
        <translation>● offline</translation>
    </message>
    <message>
        <source>Database unreachable ({reason}). Countdowns go on; changes are refused until the connection is back. Reconnecting…</source>
        <translation>Datenbank nicht erreichbar ({reason}). Die Restzeiten laufen weiter; Änderungen werden abgelehnt, bis die Verbindung wieder steht. Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <source>{shown} shown · {open} open</source>
        <translation>{shown} angezeigt · {open} offen</translation>
    </message>
    <message>
        <source>New ticket: {key} opened</source>
        <translation>Neues Ticket: {key} eröffnet</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>MessageCard</name>
    <message>
        <source>by {channel}</source>
        <translation>per {channel}</translation>
    </message>
    <message>
        <source>recorded by {name}</source>
        <translation>erfasst von {name}</translation>
    </message>
    <message>
        <source>Quoted text</source>
        <translation>Zitierter Text</translation>
    </message>
    <message>
        <source>What the mail quoted below its new words</source>
        <translation>Was die Mail unter ihrem neuen Text zitiert</translation>
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
    <name>QueueColumns</name>
    <message>
        <source>Always shown</source>
        <translation>Immer angezeigt</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>Standardspalten</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Spalten</translation>
    </message>
</context>
<context>
    <name>QueueLayout</name>
    <message>
        <source>Show &amp;details</source>
        <translation>&amp;Details anzeigen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
</context>
<context>
    <name>QueueSidebar</name>
    <message>
        <source>Queues</source>
        <translation>Warteschlangen</translation>
    </message>
    <message>
        <source>Rename saved search…</source>
        <translation>Gespeicherte Suche umbenennen…</translation>
    </message>
    <message>
        <source>Delete saved search</source>
        <translation>Gespeicherte Suche löschen</translation>
    </message>
    <message>
        <source>Saved searches</source>
        <translation>Gespeicherte Suchen</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Richtlinien</translation>
    </message>
    <message>
        <source>Search for “{text}” (right-click to rename or delete)</source>
        <translation>Suche nach „{text}“ (Rechtsklick zum Umbenennen oder Löschen)</translation>
    </message>
    <message>
        <source>Rename saved search</source>
        <translation>Gespeicherte Suche umbenennen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
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
        <source>Report progress</source>
        <translation>Fortschritt des Berichts</translation>
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
        <source>Computing…</source>
        <translation>Wird berechnet…</translation>
    </message>
    <message>
        <source>%v of %m tickets</source>
        <translation>%v von %m Tickets</translation>
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
    <name>SearchScope</name>
    <message>
        <source>Show the queue {queue}</source>
        <translation>Warteschlange {queue} anzeigen</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>default: a SQLite file in your data folder</source>
        <translation>Standard: eine SQLite-Datei in Ihrem Datenordner</translation>
    </message>
    <message>
        <source>A SQLite file path or URL, or postgresql://user@host/database for a team</source>
        <translation>Ein SQLite-Dateipfad oder eine URL, oder postgresql://user@host/database für ein Team</translation>
    </message>
    <message>
        <source>A SQLite file path or URL, or postgresql://user@host/database for a team. A change applies after a restart.</source>
        <translation>Ein SQLite-Dateipfad oder eine URL, oder postgresql://user@host/database für ein Team. Eine Änderung gilt nach einem Neustart.</translation>
    </message>
    <message>
        <source>{variable} is set in this session.</source>
        <translation>{variable} ist in dieser Sitzung gesetzt.</translation>
    </message>
    <message>
        <source>{login} (not an agent of this database)</source>
        <translation>{login} (kein Agent dieser Datenbank)</translation>
    </message>
    <message>
        <source>On a team database you are your login ({login}).</source>
        <translation>In einer Team-Datenbank sind Sie Ihre Anmeldung ({login}).</translation>
    </message>
    <message>
        <source>Not chosen (no notifications)</source>
        <translation>Nicht gewählt (keine Benachrichtigungen)</translation>
    </message>
    <message>
        <source>{login} (not in this database)</source>
        <translation>{login} (nicht in dieser Datenbank)</translation>
    </message>
    <message>
        <source>System follows the desktop&apos;s language. A change applies at the next start.</source>
        <translation>„System“ folgt der Sprache des Desktops. Eine Änderung gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Applies at the next start.</source>
        <translation>Gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Desktop notifications for my tickets</source>
        <translation>Desktop-Benachrichtigungen für meine Tickets</translation>
    </message>
    <message>
        <source>Off: record at once</source>
        <translation>Aus: sofort erfassen</translation>
    </message>
    <message>
        <source>How long a reply or an update waits, with Undo, before it is recorded (its clock stops then)</source>
        <translation>Wie lange eine Antwort oder ein Update mit „Rückgängig“ wartet, bevor es erfasst wird (dann stoppt seine Uhr)</translation>
    </message>
    <message>
        <source>Warn at</source>
        <translation>Warnen bei</translation>
    </message>
    <message>
        <source>Urgent at</source>
        <translation>Dringend bei</translation>
    </message>
    <message>
        <source>Critical at</source>
        <translation>Kritisch bei</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>Datenbank-URL</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Who I am</source>
        <translation>Wer ich bin</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Anzeige</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Warnings (share of the target used)</source>
        <translation>Warnungen (Anteil der verbrauchten Zielzeit)</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Undo window for replies</source>
        <translation>Rückgängig-Frist für Antworten</translation>
    </message>
    <message>
        <source>Database: {error}</source>
        <translation>Datenbank: {error}</translation>
    </message>
    <message>
        <source>Time zone: {zone} is not a known IANA time zone</source>
        <translation>Zeitzone: {zone} ist keine bekannte IANA-Zeitzone</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Warnings: {problem}</source>
        <translation>Warnungen: {problem}</translation>
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
    <name>TicketActions</name>
    <message>
        <source>Take</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Record response</source>
        <translation>Antwort erfassen</translation>
    </message>
    <message>
        <source>Send update</source>
        <translation>Update senden</translation>
    </message>
    <message>
        <source>Escalate…</source>
        <translation>Eskalieren…</translation>
    </message>
    <message>
        <source>Change severity…</source>
        <translation>Schweregrad ändern…</translation>
    </message>
    <message>
        <source>RCA delivered</source>
        <translation>RCA geliefert</translation>
    </message>
    <message>
        <source>Waive…</source>
        <translation>Aussetzen…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Status setzen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Set status (S, then {letters})</source>
        <translation>Status setzen (S, dann {letters})</translation>
    </message>
    <message>
        <source>{message}. Your text is back in the composer.</source>
        <translation>{message}. Ihr Text steht wieder im Eingabefeld.</translation>
    </message>
    <message>
        <source>{keys} saved</source>
        <translation>{keys} gespeichert</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>its history (an event was added)</source>
        <translation>sein Verlauf (ein Ereignis kam hinzu)</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>Von jemand anderem geändert</translation>
    </message>
    <message>
        <source>{key} was changed by someone else while you were looking at it (you saw version {seen}, it is now version {now}). Your change was not saved.</source>
        <translation>{key} wurde von jemand anderem geändert, während Sie es angesehen haben (Sie sahen Version {seen}, jetzt ist es Version {now}). Ihre Änderung wurde nicht gespeichert.</translation>
    </message>
    <message>
        <source>What changed:
{details}

Retry your change on the new version?</source>
        <translation>Was sich geändert hat:
{details}

Ihre Änderung auf der neuen Version wiederholen?</translation>
    </message>
    <message>
        <source>Retry on the new version</source>
        <translation>Auf der neuen Version wiederholen</translation>
    </message>
    <message>
        <source>Who are you?</source>
        <translation>Wer sind Sie?</translation>
    </message>
    <message>
        <source>Choose who you are in Settings before changing tickets.</source>
        <translation>Wählen Sie in den Einstellungen, wer Sie sind, bevor Sie Tickets ändern.</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>(nicht zugewiesen)</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Assign the ticket to:</source>
        <translation>Das Ticket zuweisen an:</translation>
    </message>
    <message>
        <source>Set {status}</source>
        <translation>Auf „{status}“ setzen</translation>
    </message>
    <message>
        <source>{action} on {key}:

{effects}

The history keeps this for good.</source>
        <translation>{action} für {key}:

{effects}

Der Verlauf behält das dauerhaft.</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Eskalieren</translation>
    </message>
    <message>
        <source>How urgent is it?</source>
        <translation>Wie dringend ist es?</translation>
    </message>
    <message>
        <source>Non-urgent (manager answer within the policy&apos;s time)</source>
        <translation>Nicht dringend (Antwort des Managers in der Frist der Richtlinie)</translation>
    </message>
    <message>
        <source>Waive</source>
        <translation>Aussetzen</translation>
    </message>
    <message>
        <source>{vendor}&apos;s policy has no waivers.</source>
        <translation>Die Richtlinie von {vendor} sieht keine Aussetzungen vor.</translation>
    </message>
    <message>
        <source>Waive the target</source>
        <translation>Zielzeit aussetzen</translation>
    </message>
    <message>
        <source>Why does the target not apply?</source>
        <translation>Warum gilt die Zielzeit nicht?</translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation>Grund (erforderlich):</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Notiz:</translation>
    </message>
    <message>
        <source>Change severity</source>
        <translation>Schweregrad ändern</translation>
    </message>
    <message>
        <source>Changing the severity is for team leads.</source>
        <translation>Den Schweregrad ändern nur Teamleitungen.</translation>
    </message>
    <message>
        <source>Choose tickets of one policy: severities differ between policies.</source>
        <translation>Tickets einer einzigen Richtlinie wählen: Die Schweregrade unterscheiden sich zwischen Richtlinien.</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <source>Breached: past its due instant</source>
        <translation>Verletzt: Fälligkeitszeitpunkt überschritten</translation>
    </message>
    <message>
        <source>Warning: {percent}% of the target used</source>
        <translation>Warnung: {percent} % der Zielzeit verbraucht</translation>
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
    <message>
        <source>Elsewhere in the window</source>
        <translation>Anderswo im Fenster</translation>
    </message>
    <message>
        <source>A desktop console for support teams working under contractual SLAs.</source>
        <translation>Eine Desktop-Konsole für Supportteams, die unter vertraglichen SLAs arbeiten.</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>or</source>
        <comment>between two shortcuts</comment>
        <translation>oder</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>wird gelesen…</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Schema revision</source>
        <translation>Schema-Revision</translation>
    </message>
    <message>
        <source>This console does not run the mail worker: {error}</source>
        <translation>Diese Konsole betreibt den Mail-Dienst nicht: {error}</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>wird gezählt…</translation>
    </message>
    <message>
        <source>effective {date}</source>
        <translation>gültig ab {date}</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>never open</source>
        <translation>nie geöffnet</translation>
    </message>
    <message>
        <source>clocks go forward {duration} at {time}</source>
        <translation>Uhren werden um {time} um {duration} vorgestellt</translation>
    </message>
    <message>
        <source>clocks go back {duration} at {time}</source>
        <translation>Uhren werden um {time} um {duration} zurückgestellt</translation>
    </message>
    <message>
        <source>Due {when}</source>
        <translation>Fällig {when}</translation>
    </message>
    <message>
        <source>no occurrence soon</source>
        <translation>demnächst kein Termin</translation>
    </message>
    <message>
        <source>in progress until {when}</source>
        <translation>läuft bis {when}</translation>
    </message>
    <message>
        <source>next {span}</source>
        <translation>nächstes Mal {span}</translation>
    </message>
    <message>
        <source>{when} ({yours} your time)</source>
        <translation>{when} ({yours} Ihre Zeit)</translation>
    </message>
    <message>
        <source>every {span} {zone}</source>
        <translation>jeden {span} {zone}</translation>
    </message>
    <message numerus="yes">
        <source>Moves %n open ticket&apos;s due instant</source>
        <translation>
            <numerusform>Verschiebt die Frist von %n offenen Ticket</numerusform>
            <numerusform>Verschiebt die Frist von %n offenen Ticket</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moves %n open tickets&apos; due instants</source>
        <translation>
            <numerusform>Verschiebt die Fristen von %n offenen Tickets</numerusform>
            <numerusform>Verschiebt die Fristen von %n offenen Tickets</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>{places}, the policy file&apos;s default</source>
        <translation>{places}, Vorgabe der Richtliniendatei</translation>
    </message>
    <message>
        <source>Clock changes in the next 12 months</source>
        <translation>Zeitumstellungen in den nächsten 12 Monaten</translation>
    </message>
    <message>
        <source>Clock changes in the next 12 months: none</source>
        <translation>Zeitumstellungen in den nächsten 12 Monaten: keine</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>no days</source>
        <translation>keine Tage</translation>
    </message>
    <message>
        <source>close it</source>
        <translation>schließen ihn</translation>
    </message>
    <message>
        <source>Closed in {year}: {days}</source>
        <translation>Geschlossen {year}: {days}</translation>
    </message>
    <message>
        <source>update</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>Eskalation</translation>
    </message>
    <message>
        <source>waiting: {reason}</source>
        <translation>wartet: {reason}</translation>
    </message>
    <message>
        <source>met {when}</source>
        <translation>eingehalten {when}</translation>
    </message>
    <message>
        <source>stopped {when}</source>
        <translation>gestoppt {when}</translation>
    </message>
    <message>
        <source>waived: {reason}</source>
        <translation>ausgesetzt: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%n service-credit day(s)</source>
        <translation>
            <numerusform>%n Tag Servicegutschrift</numerusform>
            <numerusform>%n Tage Servicegutschrift</numerusform>
        </translation>
    </message>
    <message>
        <source>was due {when}</source>
        <translation>war fällig {when}</translation>
    </message>
    <message>
        <source>due {when}</source>
        <translation>fällig {when}</translation>
    </message>
    <message>
        <source>breached earlier</source>
        <translation>früher verletzt</translation>
    </message>
    <message>
        <source>{head}: {when} under S{severity}, {overdue}</source>
        <translation>{head}: {when} unter S{severity}, {overdue}</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Send update</source>
        <translation>Update senden</translation>
    </message>
    <message>
        <source>Customer message</source>
        <translation>Kundennachricht</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Status setzen</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Eskalieren</translation>
    </message>
    <message>
        <source>Answer escalation</source>
        <translation>Eskalation beantworten</translation>
    </message>
    <message>
        <source>RCA delivered</source>
        <translation>RCA geliefert</translation>
    </message>
    <message>
        <source>Waive</source>
        <translation>Aussetzen</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Change severity</source>
        <translation>Schweregrad ändern</translation>
    </message>
    <message>
        <source>New ticket</source>
        <translation>Neues Ticket</translation>
    </message>
    <message>
        <source>Recompute due instants</source>
        <translation>Fristen neu berechnen</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Übergeben</translation>
    </message>
    <message>
        <source>Acknowledge handover</source>
        <translation>Übergabe bestätigen</translation>
    </message>
    <message>
        <source>Configure the mailbox</source>
        <translation>Postfach einrichten</translation>
    </message>
    <message>
        <source>Name a mail contact</source>
        <translation>Mailkontakt zuordnen</translation>
    </message>
    <message>
        <source>Discard a message</source>
        <translation>Nachricht verwerfen</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Interne Notiz</translation>
    </message>
    <message>
        <source>recorded, not sent</source>
        <translation>erfasst, nicht gesendet</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>wartet auf Versand</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <source>sent by e-mail</source>
        <translation>per E-Mail gesendet</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>nicht zugestellt</translation>
    </message>
    <message>
        <source>pauses {clocks}</source>
        <translation>pausiert {clocks}</translation>
    </message>
    <message>
        <source>resumes {clocks}</source>
        <translation>setzt {clocks} fort</translation>
    </message>
    <message>
        <source>the {name} clock</source>
        <translation>die Uhr „{name}“</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} und {last}</translation>
    </message>
    <message>
        <source>the {names} clocks</source>
        <translation>die Uhren {names}</translation>
    </message>
    <message>
        <source>Includes the unsaved company holiday changes.</source>
        <translation>Enthält die ungespeicherten Änderungen an den Betriebsferien.</translation>
    </message>
    <message>
        <source>Includes the unsaved presence changes.</source>
        <translation>Enthält die ungespeicherten Änderungen an den Standorten.</translation>
    </message>
    <message>
        <source>Includes the unsaved company holiday and presence changes.</source>
        <translation>Enthält die ungespeicherten Änderungen an Betriebsferien und Standorten.</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>dringend</translation>
    </message>
    <message>
        <source>not urgent</source>
        <translation>nicht dringend</translation>
    </message>
    <message>
        <source>This policy sets no timed target.</source>
        <translation>Diese Richtlinie setzt keine Zielzeit.</translation>
    </message>
    <message>
        <source>The plan sets no target for this severity and metric.</source>
        <translation>Der Tarif setzt für diesen Schweregrad und diese Kennzahl keine Zielzeit.</translation>
    </message>
    <message>
        <source>no due date</source>
        <translation>keine Frist</translation>
    </message>
    <message>
        <source>Counted on {calendar}.</source>
        <translation>Gezählt nach {calendar}.</translation>
    </message>
    <message>
        <source>lifts</source>
        <translation>streicht</translation>
    </message>
    <message>
        <source>stops</source>
        <translation>stoppt</translation>
    </message>
    <message>
        <source>no longer counts</source>
        <translation>zählt nicht mehr</translation>
    </message>
    <message>
        <source>starts</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>No SLA clock changes.</source>
        <translation>Keine SLA-Uhr ändert sich.</translation>
    </message>
    <message>
        <source>system</source>
        <translation>System</translation>
    </message>
    <message>
        <source>(automated)</source>
        <translation>(automatisch)</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>responded</source>
        <translation>beantwortet</translation>
    </message>
    <message>
        <source>update sent</source>
        <translation>Update gesendet</translation>
    </message>
    <message>
        <source>status changed</source>
        <translation>Status geändert</translation>
    </message>
    <message>
        <source>severity changed</source>
        <translation>Schweregrad geändert</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>zugewiesen</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>eskaliert</translation>
    </message>
    <message>
        <source>escalation answered</source>
        <translation>Eskalation beantwortet</translation>
    </message>
    <message>
        <source>waived</source>
        <translation>ausgesetzt</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>customer message</source>
        <translation>Kundennachricht</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>status {status}</source>
        <translation>Status {status}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>by {channel}</source>
        <translation>per {channel}</translation>
    </message>
    <message>
        <source>automated</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>not automated</source>
        <translation>nicht automatisch</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>customer notified</source>
        <translation>Kunde benachrichtigt</translation>
    </message>
    <message>
        <source>customer not notified</source>
        <translation>Kunde nicht benachrichtigt</translation>
    </message>
    <message>
        <source>cycle</source>
        <translation>Zyklus</translation>
    </message>
    <message>
        <source>{cycle} (current)</source>
        <translation>{cycle} (aktuell)</translation>
    </message>
    <message>
        <source>waived: {reason}; nothing counts</source>
        <translation>ausgesetzt: {reason}; nichts zählt</translation>
    </message>
    <message>
        <source>waived; nothing counts</source>
        <translation>ausgesetzt; nichts zählt</translation>
    </message>
    <message>
        <source>{best_effort}: {none}; nothing counts</source>
        <translation>{best_effort}: {none}; nichts zählt</translation>
    </message>
    <message>
        <source>{none}; nothing counts</source>
        <translation>{none}; nichts zählt</translation>
    </message>
    <message>
        <source>{counted} counted against {target}</source>
        <translation>{counted} angerechnet auf {target}</translation>
    </message>
    <message>
        <source>{span} closed</source>
        <translation>{span} geschlossen</translation>
    </message>
    <message>
        <source>{span} paused</source>
        <translation>{span} pausiert</translation>
    </message>
    <message>
        <source>counted, over the target</source>
        <translation>gezählt, über der Zielzeit</translation>
    </message>
    <message>
        <source>counted</source>
        <translation>gezählt</translation>
    </message>
    <message>
        <source>paused: {status}</source>
        <translation>pausiert: {status}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>closed until {when}</source>
        <translation>geschlossen bis {when}</translation>
    </message>
    <message>
        <source>closed</source>
        <comment>calendar</comment>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>opens again {when}</source>
        <translation>öffnet wieder {when}</translation>
    </message>
    <message>
        <source>outside support hours</source>
        <translation>außerhalb der Supportzeiten</translation>
    </message>
    <message>
        <source>weekend</source>
        <translation>Wochenende</translation>
    </message>
    <message>
        <source>no support hours on {when}</source>
        <translation>keine Supportzeiten am {when}</translation>
    </message>
    <message>
        <source>S{level}, target {target}</source>
        <translation>S{level}, Zielzeit {target}</translation>
    </message>
    <message>
        <source>ticket submitted</source>
        <translation>Ticket eingegangen</translation>
    </message>
    <message>
        <source>response sent</source>
        <translation>Antwort gesendet</translation>
    </message>
    <message>
        <source>manager answered</source>
        <translation>Manager hat geantwortet</translation>
    </message>
    <message>
        <source>ticket {status}</source>
        <translation>Ticket {status}</translation>
    </message>
    <message>
        <source>ticket reopened</source>
        <translation>Ticket wieder geöffnet</translation>
    </message>
    <message>
        <source>a new escalation replaced it</source>
        <translation>eine neue Eskalation hat sie ersetzt</translation>
    </message>
    <message>
        <source>escalated (urgent)</source>
        <translation>eskaliert (dringend)</translation>
    </message>
    <message>
        <source>first response</source>
        <translation>erste Reaktion</translation>
    </message>
    <message>
        <source>started: {cause} ({severity})</source>
        <translation>gestartet: {cause} ({severity})</translation>
    </message>
    <message>
        <source>started ({severity})</source>
        <translation>gestartet ({severity})</translation>
    </message>
    <message>
        <source>severity S{before} → S{after}</source>
        <translation>Schweregrad S{before} → S{after}</translation>
    </message>
    <message>
        <source>target now {target}, counted on it from the start</source>
        <translation>Zielzeit jetzt {target}, ab dem Start darauf angerechnet</translation>
    </message>
    <message>
        <source>target ran out: due after {duration}</source>
        <translation>Zielzeit abgelaufen: fällig nach {duration}</translation>
    </message>
    <message>
        <source>target ran out: due</source>
        <translation>Zielzeit abgelaufen: fällig</translation>
    </message>
    <message>
        <source>breached under S{severity}</source>
        <translation>verletzt unter S{severity}</translation>
    </message>
    <message>
        <source>its target of {duration} had run out</source>
        <translation>ihre Zielzeit von {duration} war abgelaufen</translation>
    </message>
    <message>
        <source>stopped: {cause} — {outcome}</source>
        <translation>gestoppt: {cause} — {outcome}</translation>
    </message>
    <message>
        <source>stopped — {outcome}</source>
        <translation>gestoppt — {outcome}</translation>
    </message>
    <message>
        <source>now: {state}</source>
        <translation>jetzt: {state}</translation>
    </message>
    <message>
        <source>{span} left</source>
        <translation>noch {span}</translation>
    </message>
    <message>
        <source>Already breached</source>
        <translation>Bereits verletzt</translation>
    </message>
    <message>
        <source>Will breach during the window</source>
        <translation>Wird im Zeitfenster verletzt</translation>
    </message>
    <message>
        <source>Waiting clocks that resume during the window</source>
        <translation>Wartende Uhren, die im Zeitfenster weiterlaufen</translation>
    </message>
    <message>
        <source>Paused: awaiting the customer</source>
        <translation>Pausiert: wartet auf den Kunden</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <source>At the start of the window: {countdown}</source>
        <translation>Zu Beginn des Zeitfensters: {countdown}</translation>
    </message>
    <message>
        <source>Leading clock: {clock}</source>
        <translation>Führende Uhr: {clock}</translation>
    </message>
    <message>
        <source>No handover recorded yet</source>
        <translation>Noch keine Übergabe erfasst</translation>
    </message>
    <message>
        <source>Last handover by {author}, {when}</source>
        <translation>Letzte Übergabe von {author}, {when}</translation>
    </message>
    <message>
        <source>not acknowledged yet</source>
        <translation>noch nicht bestätigt</translation>
    </message>
    <message>
        <source>acknowledged by {who}</source>
        <translation>bestätigt von {who}</translation>
    </message>
    <message>
        <source>acknowledged by {who}, {when}</source>
        <translation>bestätigt von {who}, {when}</translation>
    </message>
    <message>
        <source>{shift} shift · {hours} {city}</source>
        <translation>Schicht {shift} · {hours} {city}</translation>
    </message>
    <message numerus="yes">
        <source>Next %n hour(s)</source>
        <translation>
            <numerusform>Nächste %n Stunde</numerusform>
            <numerusform>Nächste %n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Initial response</source>
        <translation>Erstreaktion</translation>
    </message>
    <message>
        <source>Periodic update</source>
        <translation>Regelmäßiges Update</translation>
    </message>
    <message>
        <source>Preliminary RCA</source>
        <translation>Vorläufige RCA</translation>
    </message>
    <message>
        <source>Escalation response</source>
        <translation>Eskalationsantwort</translation>
    </message>
    <message>
        <source>initial response</source>
        <translation>Erstreaktion</translation>
    </message>
    <message>
        <source>periodic update</source>
        <translation>regelmäßiges Update</translation>
    </message>
    <message>
        <source>preliminary RCA</source>
        <translation>vorläufige RCA</translation>
    </message>
    <message>
        <source>escalation response</source>
        <translation>Eskalationsantwort</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>awaiting customer</source>
        <translation>wartet auf Kunden</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>zurückgestellt</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>gelöst</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>met</source>
        <translation>eingehalten</translation>
    </message>
    <message>
        <source>breached</source>
        <translation>verletzt</translation>
    </message>
    <message>
        <source>best effort</source>
        <translation>Best Effort</translation>
    </message>
    <message>
        <source>no timed target</source>
        <translation>keine Zielzeit</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>web</source>
        <translation>Web</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>Teamleitung</translation>
    </message>
    <message>
        <source>delivered to the mail server</source>
        <translation>an den Mailserver übergeben</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>sent {when} to {to}</source>
        <translation>gesendet {when} an {to}</translation>
    </message>
    <message>
        <source>sent {when}</source>
        <translation>gesendet {when}</translation>
    </message>
    <message>
        <source>not delivered: {error}</source>
        <translation>nicht zugestellt: {error}</translation>
    </message>
    <message>
        <source>handed to the mail server {when}; waiting for its answer</source>
        <translation>{when} an den Mailserver übergeben; warte auf seine Antwort</translation>
    </message>
    <message numerus="yes">
        <source>tried %n time(s): {error}; next attempt {when}</source>
        <translation>
            <numerusform>%n Versuch: {error}; nächster Versuch {when}</numerusform>
            <numerusform>%n Versuche: {error}; nächster Versuch {when}</numerusform>
        </translation>
    </message>
    <message>
        <source>in the outbox: the mail worker sends it</source>
        <translation>im Postausgang: Der Mail-Dienst sendet sie</translation>
    </message>
    <message>
        <source>Mail: not set up</source>
        <translation>Mail: nicht eingerichtet</translation>
    </message>
    <message>
        <source>No team mailbox: a lead sets one in Console ▸ Team mailbox… or with support-console mail configure. Replies by e-mail wait in the outbox.</source>
        <translation>Kein Team-Postfach: Eine Teamleitung richtet es unter Konsole ▸ Team-Postfach… oder mit support-console mail configure ein. Antworten per E-Mail warten im Postausgang.</translation>
    </message>
    <message>
        <source>Mail: no worker</source>
        <translation>Mail: kein Mail-Dienst</translation>
    </message>
    <message>
        <source>Mail: connected</source>
        <translation>Mail: verbunden</translation>
    </message>
    <message>
        <source>Mail: not connected</source>
        <translation>Mail: nicht verbunden</translation>
    </message>
    <message>
        <source>outbox {count}</source>
        <translation>Postausgang {count}</translation>
    </message>
    <message>
        <source>{count} failed</source>
        <translation>{count} fehlgeschlagen</translation>
    </message>
    <message>
        <source>triage {count}</source>
        <translation>Triage {count}</translation>
    </message>
    <message>
        <source>Team mailbox {address} ({server})</source>
        <translation>Team-Postfach {address} ({server})</translation>
    </message>
    <message>
        <source>Mail worker {holder}, last seen {when}</source>
        <translation>Mail-Dienst {holder}, zuletzt gesehen {when}</translation>
    </message>
    <message>
        <source>No mail worker has reported for a while: start support-console mail run beside the database</source>
        <translation>Seit einer Weile hat sich kein Mail-Dienst gemeldet: support-console mail run neben der Datenbank starten</translation>
    </message>
    <message>
        <source>Last message read {when}</source>
        <translation>Letzte Nachricht gelesen {when}</translation>
    </message>
    <message>
        <source>Last error {when}: {error}</source>
        <translation>Letzter Fehler {when}: {error}</translation>
    </message>
    <message>
        <source>Outbox: {outbox} to send, {failed} not delivered</source>
        <translation>Postausgang: {outbox} zu senden, {failed} nicht zugestellt</translation>
    </message>
    <message numerus="yes">
        <source>Triage: %n message(s) waiting for a lead</source>
        <translation>
            <numerusform>Triage: %n Nachricht wartet auf eine Teamleitung</numerusform>
            <numerusform>Triage: %n Nachrichten warten auf eine Teamleitung</numerusform>
        </translation>
    </message>
    <message>
        <source>My open</source>
        <translation>Meine offenen</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>Alle offenen</translation>
    </message>
    <message>
        <source>Breaching within 1 h</source>
        <translation>Verletzung binnen 1 h</translation>
    </message>
    <message>
        <source>Breached</source>
        <translation>Verletzt</translation>
    </message>
    <message>
        <source>Paused / awaiting customer</source>
        <translation>Pausiert / wartet auf Kunden</translation>
    </message>
    <message numerus="yes">
        <source>none decided · %Ln pending</source>
        <translation>
            <numerusform>keine entschieden · %Ln offen</numerusform>
            <numerusform>keine entschieden · %Ln offen</numerusform>
        </translation>
    </message>
    <message>
        <source>{met} met of {decided} decided ({breached} breached)</source>
        <translation>{met} eingehalten von {decided} entschiedenen ({breached} verletzt)</translation>
    </message>
    <message>
        <source>{count} pending</source>
        <translation>{count} offen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln</source>
        <comment>a number</comment>
        <translation>
            <numerusform>%Ln</numerusform>
            <numerusform>%Ln</numerusform>
        </translation>
    </message>
    <message>
        <source>No ticket in this line has had a response yet</source>
        <translation>Kein Ticket dieser Zeile hat bisher eine Reaktion erhalten</translation>
    </message>
    <message>
        <source>Wall-clock time from submission to the first response: {span}</source>
        <translation>Kalenderzeit vom Eingang bis zur ersten Reaktion: {span}</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Policy {policy}</source>
        <translation>Richtlinie {policy}</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Plan {plan}</source>
        <translation>Tarif {plan}</translation>
    </message>
    <message>
        <source>Business time on the clock&apos;s own calendar: the time left, or how long overdue once breached (&quot;overdue 3h 05m&quot;); it stands still while the calendar is closed</source>
        <translation>Geschäftszeit nach dem eigenen Kalender der Uhr: die verbleibende Zeit oder nach einer Verletzung, wie lange überfällig („überfällig 3h 05m“); sie steht still, solange der Kalender geschlossen ist</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Policy · plan</source>
        <translation>Richtlinie · Tarif</translation>
    </message>
    <message>
        <source>Next clock</source>
        <translation>Nächste Uhr</translation>
    </message>
    <message>
        <source>The ticket&apos;s current severity</source>
        <translation>Aktueller Schweregrad des Tickets</translation>
    </message>
    <message>
        <source>Severity {level}: {name}</source>
        <translation>Schweregrad {level}: {name}</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>Eingehalten</translation>
    </message>
    <message>
        <source>Clocks stopped in time that never breached</source>
        <translation>Rechtzeitig gestoppte Uhren, die nie verletzt wurden</translation>
    </message>
    <message>
        <source>Clocks whose target ran out in business time, now or earlier (under any severity)</source>
        <translation>Uhren, deren Zielzeit in Geschäftszeit abgelaufen ist, jetzt oder früher (unter jedem Schweregrad)</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Clocks still running, waiting or paused: not counted in Success yet</source>
        <translation>Uhren, die noch laufen, warten oder pausiert sind: noch nicht in der Erfolgsquote gezählt</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Met ÷ (met + breached), rounded down</source>
        <translation>Eingehalten ÷ (eingehalten + verletzt), abgerundet</translation>
    </message>
    <message>
        <source>Median response</source>
        <translation>Reaktion (Median)</translation>
    </message>
    <message>
        <source>Median wall-clock time from submission to the first response (nearest rank)</source>
        <translation>Median der Kalenderzeit vom Eingang bis zur ersten Reaktion (Nearest-Rank-Verfahren)</translation>
    </message>
    <message>
        <source>P90 response</source>
        <translation>Reaktion (P90)</translation>
    </message>
    <message>
        <source>90th percentile of the time to the first response (nearest rank)</source>
        <translation>90. Perzentil der Zeit bis zur ersten Reaktion (Nearest-Rank-Verfahren)</translation>
    </message>
    <message>
        <source>Credit days</source>
        <translation>Gutschriftstage</translation>
    </message>
    <message>
        <source>Service credit days earned by the customers (ZITADEL)</source>
        <translation>Von den Kunden erworbene Gutschriftstage (ZITADEL)</translation>
    </message>
    <message numerus="yes">
        <source>%Ln credit day(s)</source>
        <translation>
            <numerusform>%Ln Gutschriftstag</numerusform>
            <numerusform>%Ln Gutschriftstage</numerusform>
        </translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Uhr</translation>
    </message>
    <message>
        <source>Now: target</source>
        <translation>Jetzt: Zielzeit</translation>
    </message>
    <message>
        <source>Now: due</source>
        <translation>Jetzt: fällig</translation>
    </message>
    <message>
        <source>Now: state</source>
        <translation>Jetzt: Stand</translation>
    </message>
    <message>
        <source>After: target</source>
        <translation>Danach: Zielzeit</translation>
    </message>
    <message>
        <source>After: due</source>
        <translation>Danach: fällig</translation>
    </message>
    <message>
        <source>After: state</source>
        <translation>Danach: Stand</translation>
    </message>
    <message>
        <source>{state}, {span} left</source>
        <translation>{state}, noch {span}</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>business time</source>
        <translation>Geschäftszeit</translation>
    </message>
    <message>
        <source>wall clock</source>
        <translation>Kalenderzeit</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>Mo</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>Di</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>Mi</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>Fr</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>Sa</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>So</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>Jan</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>Feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>Mär</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>Apr</translation>
    </message>
    <message>
        <source>May</source>
        <translation>Mai</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>Jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>Jul</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>Aug</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>Sep</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>Okt</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>Nov</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>Dez</translation>
    </message>
    <message>
        <source>{days}d {hours}h</source>
        <translation>{days}T {hours}h</translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s)</source>
        <translation>
            <numerusform>%n Geschäftstag</numerusform>
            <numerusform>%n Geschäftstage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n business minute(s)</source>
        <translation>
            <numerusform>%n Geschäftsminute</numerusform>
            <numerusform>%n Geschäftsminuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n business hour(s)</source>
        <translation>
            <numerusform>%n Geschäftsstunde</numerusform>
            <numerusform>%n Geschäftsstunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>overdue {span} (business time)</source>
        <translation>überfällig {span} (Geschäftszeit)</translation>
    </message>
    <message>
        <source>overdue {span}</source>
        <translation>überfällig {span}</translation>
    </message>
    <message>
        <source>{span} ago (wall clock)</source>
        <translation>vor {span} (Kalenderzeit)</translation>
    </message>
    <message>
        <source>{percent} % of the target used</source>
        <translation>{percent} % der Zielzeit verbraucht</translation>
    </message>
    <message>
        <source>{percent}: {used} counted against a target of {target}</source>
        <translation>{percent}: {used} angerechnet auf eine Zielzeit von {target}</translation>
    </message>
    <message>
        <source>{duration} on {calendar}</source>
        <translation>{duration} nach {calendar}</translation>
    </message>
    <message>
        <source>{day} {month} {year}</source>
        <translation>{day}. {month} {year}</translation>
    </message>
    <message>
        <source>{day} {month}</source>
        <translation>{day}. {month}</translation>
    </message>
    <message>
        <source>{weekday} {date}</source>
        <translation>{weekday} {date}</translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation>morgen {time}</translation>
    </message>
    <message>
        <source>earlier today {time}</source>
        <translation>heute {time}</translation>
    </message>
    <message>
        <source>yesterday {time}</source>
        <translation>gestern {time}</translation>
    </message>
    <message>
        <source>last {weekday} {time}</source>
        <translation>letzten {weekday} {time}</translation>
    </message>
    <message>
        <source>policy file changed on {date}</source>
        <translation>Richtliniendatei geändert am {date}</translation>
    </message>
    <message>
        <source>Counted on {calendar}</source>
        <translation>Gezählt nach {calendar}</translation>
    </message>
    <message>
        <source>{span} left (business time)</source>
        <translation>noch {span} (Geschäftszeit)</translation>
    </message>
    <message>
        <source>there must be {wanted} thresholds, not {count}</source>
        <translation>es müssen {wanted} Schwellen sein, nicht {count}</translation>
    </message>
    <message>
        <source>each threshold must be more than 0 % and less than 100 %</source>
        <translation>jede Schwelle muss über 0 % und unter 100 % liegen</translation>
    </message>
    <message>
        <source>each threshold must be higher than the one before</source>
        <translation>jede Schwelle muss höher sein als die vorige</translation>
    </message>
    <message>
        <source>{key} breached</source>
        <translation>{key} verletzt</translation>
    </message>
    <message>
        <source>{key} at {percent} % of its target</source>
        <translation>{key} bei {percent} % der Zielzeit</translation>
    </message>
    <message numerus="yes">
        <source>%n of your tickets need attention</source>
        <translation>
            <numerusform>%n Ihrer Tickets braucht Aufmerksamkeit</numerusform>
            <numerusform>%n Ihrer Tickets brauchen Aufmerksamkeit</numerusform>
        </translation>
    </message>
    <message>
        <source>No text was recorded.</source>
        <translation>Es wurde kein Text erfasst.</translation>
    </message>
    <message>
        <source>No messages yet: what the customer says and what we write shows here.</source>
        <translation>Noch keine Nachrichten: Was der Kunde sagt und was wir schreiben, erscheint hier.</translation>
    </message>
    <message>
        <source>Recorded here only: the console did not send it, so the customer did not get it from the console. Only a reply or an update by e-mail goes out, from the team mailbox.</source>
        <translation>Nur hier erfasst: Die Konsole hat sie nicht gesendet, der Kunde hat sie also nicht über die Konsole erhalten. Nur eine Antwort oder Aktualisierung per E-Mail geht hinaus, aus dem Team-Postfach.</translation>
    </message>
    <message>
        <source>Recorded, not sent</source>
        <translation>Erfasst, nicht gesendet</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Wartet auf Versand</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>✓ Sent by e-mail</source>
        <translation>✓ Per E-Mail gesendet</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Nicht zugestellt</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Sent by e-mail</source>
        <translation>Per E-Mail gesendet</translation>
    </message>
    <message>
        <source>The mail server did not take it; the customer did not get it.</source>
        <translation>Der Mailserver hat sie nicht angenommen; der Kunde hat sie nicht erhalten.</translation>
    </message>
    <message>
        <source>Why: {reason}</source>
        <translation>Grund: {reason}</translation>
    </message>
    <message>
        <source>Given by e-mail</source>
        <translation>Per E-Mail</translation>
    </message>
    <message>
        <source>Written here</source>
        <translation>Hier verfasst</translation>
    </message>
    <message>
        <source>Given by phone</source>
        <translation>Per Telefon</translation>
    </message>
    <message>
        <source>Given by chat</source>
        <translation>Per Chat</translation>
    </message>
    <message>
        <source>Given on the web</source>
        <translation>Im Web</translation>
    </message>
    <message>
        <source>Select a ticket to see its clocks and history</source>
        <translation>Wählen Sie ein Ticket, um seine Uhren und seinen Verlauf zu sehen</translation>
    </message>
</context>
</TS>
