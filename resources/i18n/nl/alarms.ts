<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>AlarmBanner</name>
        <message>
            <source>EMERGENCY</source>
            <translation>NOODGEVAL</translation>
        </message>
        <message>
            <source>CRITICAL</source>
            <translation>KRITIEK</translation>
        </message>
        <message>
            <source>WARNING</source>
            <translation>WAARSCHUWING</translation>
        </message>
        <message>
            <source>{condition} · cleared</source>
            <translation>{condition} · hersteld</translation>
        </message>
        <message>
            <source>{condition} · latched</source>
            <translation>{condition} · vastgehouden</translation>
        </message>
        <message>
            <source>{n} info</source>
            <translation>{n} info</translation>
        </message>
        <message>
            <source>{n} shelved</source>
            <translation>{n} geparkeerd</translation>
        </message>
        <message>
            <source>{n} suppressed</source>
            <translation>{n} onderdrukt</translation>
        </message>
        <message>
            <source>{n} out of service</source>
            <translation>{n} buiten dienst</translation>
        </message>
        <message>
            <source>Acknowledge</source>
            <translation>Bevestigen</translation>
        </message>
        <message>
            <source>Acknowledge the top alarm</source>
            <translation>Het bovenste alarm bevestigen</translation>
        </message>
        <message>
            <source>Ack all visible</source>
            <translation>Alle bevestigen</translation>
        </message>
        <message>
            <source>Acknowledge every alarm in the banner</source>
            <translation>Elk alarm in de balk bevestigen</translation>
        </message>
        <message>
            <source>Silence</source>
            <translation>Hoorn uit</translation>
        </message>
        <message>
            <source>Stop the horn (acknowledges nothing)</source>
            <translation>De hoorn stoppen (bevestigt niets)</translation>
        </message>
        <message>
            <source>Alarm list ▸</source>
            <translation>Alarmlijst ▸</translation>
        </message>
        <message>
            <source>Open the alarm summary</source>
            <translation>Het alarmoverzicht openen</translation>
        </message>
        <message>
            <source>Horn silent</source>
            <translation>Hoorn stil</translation>
        </message>
        <message>
            <source>+ {n} more unacknowledged — open the alarm list</source>
            <translation>+ nog {n} onbevestigd — open de alarmlijst</translation>
        </message>
        <message>
            <source>No active alarms</source>
            <translation>Geen actieve alarmen</translation>
        </message>
        <message>
            <source>All alarms acknowledged · {n} still active</source>
            <translation>Alle alarmen bevestigd · {n} nog actief</translation>
        </message>
    </context>
    <context>
        <name>AlarmCommands</name>
        <message>
            <source>Cannot acknowledge alarms: alarm actions are not available on this workstation.</source>
            <translation>Alarmen bevestigen is niet mogelijk: alarmacties zijn op dit werkstation niet beschikbaar.</translation>
        </message>
        <message>
            <source>Cannot shelve alarms: alarm actions are not available on this workstation.</source>
            <translation>Alarmen parkeren is niet mogelijk: alarmacties zijn op dit werkstation niet beschikbaar.</translation>
        </message>
        <message>
            <source>Cannot unshelve alarms: alarm actions are not available on this workstation.</source>
            <translation>Parkering opheffen is niet mogelijk: alarmacties zijn op dit werkstation niet beschikbaar.</translation>
        </message>
        <message>
            <source>Cannot reset alarms: alarm actions are not available on this workstation.</source>
            <translation>Alarmen resetten is niet mogelijk: alarmacties zijn op dit werkstation niet beschikbaar.</translation>
        </message>
        <message>
            <source>Nobody is logged in: log in to acknowledge alarms.</source>
            <translation>Er is niemand aangemeld: meld u aan om alarmen te bevestigen.</translation>
        </message>
        <message>
            <source>Nobody is logged in: log in to shelve alarms.</source>
            <translation>Er is niemand aangemeld: meld u aan om alarmen te parkeren.</translation>
        </message>
        <message>
            <source>Nobody is logged in: log in to unshelve alarms.</source>
            <translation>Er is niemand aangemeld: meld u aan om de parkering van alarmen op te heffen.</translation>
        </message>
        <message>
            <source>Nobody is logged in: log in to reset alarms.</source>
            <translation>Er is niemand aangemeld: meld u aan om alarmen te resetten.</translation>
        </message>
        <message>
            <source>Acknowledged 1 alarm.</source>
            <translation>1 alarm bevestigd.</translation>
        </message>
        <message>
            <source>Shelved 1 alarm.</source>
            <translation>1 alarm geparkeerd.</translation>
        </message>
        <message>
            <source>Unshelved 1 alarm.</source>
            <translation>Parkering van 1 alarm opgeheven.</translation>
        </message>
        <message>
            <source>Reset 1 alarm.</source>
            <translation>1 alarm gereset.</translation>
        </message>
        <message>
            <source>Acknowledged {n} alarms.</source>
            <translation>{n} alarmen bevestigd.</translation>
        </message>
        <message>
            <source>Shelved {n} alarms.</source>
            <translation>{n} alarmen geparkeerd.</translation>
        </message>
        <message>
            <source>Unshelved {n} alarms.</source>
            <translation>Parkering van {n} alarmen opgeheven.</translation>
        </message>
        <message>
            <source>Reset {n} alarms.</source>
            <translation>{n} alarmen gereset.</translation>
        </message>
        <message>
            <source>Nothing to acknowledge.</source>
            <translation>Niets te bevestigen.</translation>
        </message>
        <message>
            <source>Nothing to shelve.</source>
            <translation>Niets te parkeren.</translation>
        </message>
        <message>
            <source>Nothing to unshelve.</source>
            <translation>Geen parkering om op te heffen.</translation>
        </message>
        <message>
            <source>Nothing to reset.</source>
            <translation>Niets te resetten.</translation>
        </message>
        <message>
            <source>Could not acknowledge alarms: {error}</source>
            <translation>Alarmen bevestigen is mislukt: {error}</translation>
        </message>
        <message>
            <source>Could not shelve alarms: {error}</source>
            <translation>Alarmen parkeren is mislukt: {error}</translation>
        </message>
        <message>
            <source>Could not unshelve alarms: {error}</source>
            <translation>Parkering van alarmen opheffen is mislukt: {error}</translation>
        </message>
        <message>
            <source>Could not reset alarms: {error}</source>
            <translation>Alarmen resetten is mislukt: {error}</translation>
        </message>
        <message>
            <source>{source} {condition}</source>
            <translation>{source} {condition}</translation>
        </message>
        <message>
            <source>{alarm}: {reason}</source>
            <translation>{alarm}: {reason}</translation>
        </message>
        <message>
            <source>{reasons} (and {n} more)</source>
            <translation>{reasons} (en nog {n})</translation>
        </message>
    </context>
    <context>
        <name>AlarmJournal</name>
        <message>
            <source>Last shift · 8 h</source>
            <translation>Laatste dienst · 8 u</translation>
        </message>
        <message>
            <source>24 h</source>
            <translation>24 u</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 dagen</translation>
        </message>
        <message>
            <source>Raised</source>
            <translation>Opgetreden</translation>
        </message>
        <message>
            <source>Reactivated</source>
            <translation>Opnieuw actief</translation>
        </message>
        <message>
            <source>Cleared</source>
            <translation>Hersteld</translation>
        </message>
        <message>
            <source>Acknowledged</source>
            <translation>Bevestigd</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>Gereset</translation>
        </message>
        <message>
            <source>Shelved</source>
            <translation>Geparkeerd</translation>
        </message>
        <message>
            <source>Unshelved</source>
            <translation>Parkering opgeheven</translation>
        </message>
        <message>
            <source>Shelving expired</source>
            <translation>Parkering verlopen</translation>
        </message>
        <message>
            <source>Suppressed</source>
            <translation>Onderdrukt</translation>
        </message>
        <message>
            <source>Unsuppressed</source>
            <translation>Onderdrukking opgeheven</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation>Buiten dienst</translation>
        </message>
        <message>
            <source>Back in service</source>
            <translation>Weer in dienst</translation>
        </message>
        <message>
            <source>Choose a time range</source>
            <translation>Kies een tijdsbereik</translation>
        </message>
        <message>
            <source>The alarm journal is not available here</source>
            <translation>Het alarmjournaal is hier niet beschikbaar</translation>
        </message>
        <message>
            <source>Custom</source>
            <translation>Aangepast</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Van</translation>
        </message>
        <message>
            <source>to</source>
            <translation>tot</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>All mills</source>
            <translation>Alle molens</translation>
        </message>
        <message>
            <source>Load</source>
            <translation>Laden</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>CSV exporteren…</translation>
        </message>
        <message>
            <source>The end of the range must be after its start</source>
            <translation>Het einde van het bereik moet na het begin liggen</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Laden…</translation>
        </message>
        <message>
            <source>Could not load the alarm journal: {error}</source>
            <translation>Het alarmjournaal kon niet worden geladen: {error}</translation>
        </message>
        <message>
            <source>Loading failed</source>
            <translation>Laden mislukt</translation>
        </message>
        <message>
            <source>all mills</source>
            <translation>alle molens</translation>
        </message>
        <message>
            <source>1 entry · {mill} · {start} – {end}</source>
            <translation>1 regel · {mill} · {start} – {end}</translation>
        </message>
        <message>
            <source>{n} entries · {mill} · {start} – {end}</source>
            <translation>{n} regels · {mill} · {start} – {end}</translation>
        </message>
        <message>
            <source>Export alarm journal</source>
            <translation>Alarmjournaal exporteren</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV-bestanden (*.csv)</translation>
        </message>
        <message>
            <source>Could not write {path}: {error}</source>
            <translation>{path} kon niet worden geschreven: {error}</translation>
        </message>
        <message>
            <source>Exported 1 journal entry to {path}</source>
            <translation>1 journaalregel geëxporteerd naar {path}</translation>
        </message>
        <message>
            <source>Exported {n} journal entries to {path}</source>
            <translation>{n} journaalregels geëxporteerd naar {path}</translation>
        </message>
    </context>
    <context>
        <name>AlarmList</name>
        <message>
            <source>EMERG</source>
            <translation>NOOD</translation>
        </message>
        <message>
            <source>CRIT</source>
            <translation>KRIT</translation>
        </message>
        <message>
            <source>WARN</source>
            <translation>WAARS</translation>
        </message>
        <message>
            <source>INFO</source>
            <translation>INFO</translation>
        </message>
        <message>
            <source>Normal</source>
            <translation>Normaal</translation>
        </message>
        <message>
            <source>Unacked · active</source>
            <translation>Onbevestigd · actief</translation>
        </message>
        <message>
            <source>Acked · active</source>
            <translation>Bevestigd · actief</translation>
        </message>
        <message>
            <source>Unacked · cleared</source>
            <translation>Onbevestigd · hersteld</translation>
        </message>
        <message>
            <source>Unacked · latched</source>
            <translation>Onbevestigd · vastgehouden</translation>
        </message>
        <message>
            <source>Acked · latched</source>
            <translation>Bevestigd · vastgehouden</translation>
        </message>
    </context>
    <context>
        <name>AlarmSummary</name>
        <message>
            <source>All mills</source>
            <translation>Alle molens</translation>
        </message>
        <message>
            <source>All priorities</source>
            <translation>Alle prioriteiten</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Prioriteit</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Tonen</translation>
        </message>
        <message>
            <source>Acknowledge</source>
            <translation>Bevestigen</translation>
        </message>
        <message>
            <source>Ack all shown</source>
            <translation>Alle getoonde bevestigen</translation>
        </message>
        <message>
            <source>Shelve…</source>
            <translation>Parkeren…</translation>
        </message>
        <message>
            <source>Unshelve</source>
            <translation>Parkering opheffen</translation>
        </message>
        <message>
            <source>Reset latch</source>
            <translation>Resetten</translation>
        </message>
        <message>
            <source>1 alarm</source>
            <translation>1 alarm</translation>
        </message>
        <message>
            <source>{n} alarms</source>
            <translation>{n} alarmen</translation>
        </message>
        <message>
            <source>1 alarm of {total}</source>
            <translation>1 alarm van {total}</translation>
        </message>
        <message>
            <source>{n} alarms of {total}</source>
            <translation>{n} alarmen van {total}</translation>
        </message>
        <message>
            <source>{n} unacknowledged</source>
            <translation>{n} onbevestigd</translation>
        </message>
        <message>
            <source>{n} selected</source>
            <translation>{n} geselecteerd</translation>
        </message>
        <message>
            <source>Select alarms to acknowledge or shelve them</source>
            <translation>Selecteer alarmen om ze te bevestigen of te parkeren</translation>
        </message>
    </context>
    <context>
        <name>AlarmTableModel</name>
        <message>
            <source>Priority</source>
            <translation>Prioriteit</translation>
        </message>
        <message>
            <source>Raised</source>
            <translation>Opgetreden</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Bron</translation>
        </message>
        <message>
            <source>Condition</source>
            <translation>Conditie</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Waarde</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>1st/flood</source>
            <translation>1e/lawine</translation>
        </message>
        <message>
            <source>Acked by</source>
            <translation>Bevestigd door</translation>
        </message>
        <message>
            <source>Shelved</source>
            <translation>Geparkeerd</translation>
        </message>
    </context>
    <context>
        <name>AlarmTexts</name>
        <message>
            <source>Whole mill</source>
            <translation>Hele molen</translation>
        </message>
        <message>
            <source>out of service</source>
            <translation>buiten dienst</translation>
        </message>
        <message>
            <source>suppressed</source>
            <translation>onderdrukt</translation>
        </message>
        <message>
            <source>until {time}</source>
            <translation>tot {time}</translation>
        </message>
        <message>
            <source>1st</source>
            <translation>1e</translation>
        </message>
        <message>
            <source>flood</source>
            <translation>lawine</translation>
        </message>
        <message>
            <source>{priority} · {where} {condition} {value}</source>
            <translation>{priority} · {where} {condition} {value}</translation>
        </message>
        <message>
            <source>{priority} · {where} {condition}</source>
            <translation>{priority} · {where} {condition}</translation>
        </message>
        <message>
            <source>{state} since {time}</source>
            <translation>{state} sinds {time}</translation>
        </message>
        <message>
            <source>Limit {limit}</source>
            <translation>Grenswaarde {limit}</translation>
        </message>
        <message>
            <source>Acknowledged by {user} at {time}</source>
            <translation>Bevestigd door {user} om {time}</translation>
        </message>
        <message>
            <source>Shelved by {user} until {time}: {reason}</source>
            <translation>Geparkeerd door {user} tot {time}: {reason}</translation>
        </message>
        <message>
            <source>Suppressed: {reason}</source>
            <translation>Onderdrukt: {reason}</translation>
        </message>
        <message>
            <source>Out of service ({user}): {reason}</source>
            <translation>Buiten dienst ({user}): {reason}</translation>
        </message>
        <message>
            <source>Part of the alarm flood of {mill} since {time}</source>
            <translation>Deel van de alarmlawine van {mill} sinds {time}</translation>
        </message>
        <message>
            <source>First out: the alarm that started this upset of the mill</source>
            <translation>Eerste alarm: het alarm waarmee deze verstoring van de molen begon</translation>
        </message>
    </context>
    <context>
        <name>Annunciator</name>
        <message>
            <source>Millwatch alarm: {priority}</source>
            <translation>Millwatch-alarm: {priority}</translation>
        </message>
        <message>
            <source>+1 more new alarm</source>
            <translation>+1 ander nieuw alarm</translation>
        </message>
        <message>
            <source>+{n} more new alarms</source>
            <translation>+{n} andere nieuwe alarmen</translation>
        </message>
    </context>
    <context>
        <name>AuditTableModel</name>
        <message>
            <source>Seq</source>
            <translation>Volgnr.</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Tijd</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Gebruiker</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Actie</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Doel</translation>
        </message>
        <message>
            <source>Change (before → after)</source>
            <translation>Wijziging (voor → na)</translation>
        </message>
        <message>
            <source>before: {before}
after: {after}</source>
            <translation>voor: {before}
na: {after}</translation>
        </message>
    </context>
    <context>
        <name>AuditView</name>
        <message>
            <source>Last hour</source>
            <translation>Laatste uur</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Laatste 24 uur</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Laatste 7 dagen</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>Laatste 30 dagen</translation>
        </message>
        <message>
            <source>All time</source>
            <translation>Alles</translation>
        </message>
        <message>
            <source>Custom range</source>
            <translation>Aangepast bereik</translation>
        </message>
        <message>
            <source>All mills</source>
            <translation>Alle molens</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nee</translation>
        </message>
        <message>
            <source>Audit trail</source>
            <translation>Audittrail</translation>
        </message>
        <message>
            <source>Verify chain</source>
            <translation>Keten controleren</translation>
        </message>
        <message>
            <source>Check that no record was edited, removed or reordered</source>
            <translation>Controleren dat geen record is gewijzigd, verwijderd of verplaatst</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>CSV exporteren…</translation>
        </message>
        <message>
            <source>Write every record matching the filters to a CSV file</source>
            <translation>Alle records die aan de filters voldoen naar een CSV-bestand schrijven</translation>
        </message>
        <message>
            <source>any user</source>
            <translation>elke gebruiker</translation>
        </message>
        <message>
            <source>any action</source>
            <translation>elke actie</translation>
        </message>
        <message>
            <source>Actions starting with this text, e.g. auth. or user.create</source>
            <translation>Acties die met deze tekst beginnen, bijv. auth. of user.create</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Tonen</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Tijd</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Van</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Tot</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Gebruiker</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Actie</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Nobody is signed in.</source>
            <translation>Er is niemand aangemeld.</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Laden…</translation>
        </message>
        <message>
            <source>{n} records (the newest {n}: narrow the filters, or export for all)</source>
            <translation>{n} records (de nieuwste {n}: verfijn de filters, of exporteer voor alle)</translation>
        </message>
        <message>
            <source>1 record</source>
            <translation>1 record</translation>
        </message>
        <message>
            <source>{n} records</source>
            <translation>{n} records</translation>
        </message>
        <message>
            <source>Export audit trail</source>
            <translation>Audittrail exporteren</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV-bestanden (*.csv)</translation>
        </message>
        <message>
            <source>Exporting to {path}…</source>
            <translation>Exporteren naar {path}…</translation>
        </message>
        <message>
            <source>Exported 1 record to {path}.</source>
            <translation>1 record geëxporteerd naar {path}.</translation>
        </message>
        <message>
            <source>Exported {n} records to {path}.</source>
            <translation>{n} records geëxporteerd naar {path}.</translation>
        </message>
        <message>
            <source>Checking the chain…</source>
            <translation>Keten controleren…</translation>
        </message>
    </context>
    <context>
        <name>BannerLine</name>
        <message>
            <source>1st</source>
            <translation>1e</translation>
        </message>
        <message>
            <source>FLOOD</source>
            <translation>LAWINE</translation>
        </message>
        <message>
            <source>{mill}: {n} alarms in {minutes} min · {unacked} unacked · 1st out {source} {condition}</source>
            <translation>{mill}: {n} alarmen in {minutes} min · {unacked} onbevestigd · 1e {source} {condition}</translation>
        </message>
        <message>
            <source>{mill}: {n} alarms in {minutes} min · {unacked} unacked</source>
            <translation>{mill}: {n} alarmen in {minutes} min · {unacked} onbevestigd</translation>
        </message>
        <message>
            <source>Alarm flood of {mill}: {n} alarms grouped</source>
            <translation>Alarmlawine van {mill}: {n} alarmen gegroepeerd</translation>
        </message>
        <message>
            <source>First out: {alarm}</source>
            <translation>Eerste alarm: {alarm}</translation>
        </message>
    </context>
    <context>
        <name>JournalTableModel</name>
        <message>
            <source>Time</source>
            <translation>Tijd</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Bron</translation>
        </message>
        <message>
            <source>Condition</source>
            <translation>Conditie</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Actie</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Prioriteit</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Gebruiker</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Waarde</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Opmerking</translation>
        </message>
        <message>
            <source>{key} · occurrence {n}</source>
            <translation>{key} · voorval {n}</translation>
        </message>
        <message>
            <source>system</source>
            <translation>systeem</translation>
        </message>
    </context>
    <context>
        <name>Notices</name>
        <message>
            <source>Dismiss</source>
            <translation>Sluiten</translation>
        </message>
    </context>
    <context>
        <name>PriorityChip</name>
        <message>
            <source>{total} {priority} alarm(s), {unacked} unacknowledged</source>
            <translation>{total} alarm(en) met prioriteit {priority}, {unacked} onbevestigd</translation>
        </message>
    </context>
    <context>
        <name>ShelveDialog</name>
        <message>
            <source>Shelve alarm</source>
            <translation>Alarm parkeren</translation>
        </message>
        <message>
            <source>Shelve {n} alarms</source>
            <translation>{n} alarmen parkeren</translation>
        </message>
        <message>
            <source>{source} — {condition}</source>
            <translation>{source} — {condition}</translation>
        </message>
        <message>
            <source>and {n} more</source>
            <translation>en nog {n}</translation>
        </message>
        <message>
            <source>A shelved alarm is still evaluated and journaled, but not announced until it expires.</source>
            <translation>Een geparkeerd alarm wordt nog steeds bewaakt en in het journaal vastgelegd, maar pas weer gemeld als de parkering verloopt.</translation>
        </message>
        <message>
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <source>Shelve for</source>
            <translation>Parkeren voor</translation>
        </message>
        <message>
            <source>Required: why, e.g. sensor under repair (WO 1234)</source>
            <translation>Verplicht, bijv. sensor in reparatie (WO 1234)</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Reden</translation>
        </message>
        <message>
            <source>Shelve</source>
            <translation>Parkeren</translation>
        </message>
    </context>
    <context>
        <name>StateFilter</name>
        <message>
            <source>All unfinished</source>
            <translation>Alle openstaande</translation>
        </message>
        <message>
            <source>Unacknowledged</source>
            <translation>Onbevestigd</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Actief</translation>
        </message>
        <message>
            <source>Shelved</source>
            <translation>Geparkeerd</translation>
        </message>
        <message>
            <source>Suppressed / out of service</source>
            <translation>Onderdrukt / buiten dienst</translation>
        </message>
    </context>
</TS>
