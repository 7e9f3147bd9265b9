<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>PenTable</name>
        <message>
            <source>Remove pen</source>
            <translation>Pen verwijderen</translation>
        </message>
    </context>
    <context>
        <name>PenTableModel</name>
        <message>
            <source>Pen</source>
            <translation>Pen</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>Eenheid</translation>
        </message>
        <message>
            <source>Cursor</source>
            <translation>Cursor</translation>
        </message>
        <message>
            <source>Latest</source>
            <translation>Laatste</translation>
        </message>
        <message>
            <source>Min</source>
            <translation>Min</translation>
        </message>
        <message>
            <source>Avg</source>
            <translation>Gem.</translation>
        </message>
        <message>
            <source>Max</source>
            <translation>Max</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Aantal</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Grenzen</translation>
        </message>
        <message>
            <source>Critical high (HH)</source>
            <translation>Kritiek hoog (HH)</translation>
        </message>
        <message>
            <source>Warning high (H)</source>
            <translation>Waarschuwing hoog (H)</translation>
        </message>
        <message>
            <source>Warning low (L)</source>
            <translation>Waarschuwing laag (L)</translation>
        </message>
        <message>
            <source>Critical low (LL)</source>
            <translation>Kritiek laag (LL)</translation>
        </message>
        <message>
            <source>No limits configured</source>
            <translation>Geen grenswaarden ingesteld</translation>
        </message>
    </context>
    <context>
        <name>RetentionDialog</name>
        <message>
            <source>Raw readings</source>
            <translation>Ruwe metingen</translation>
        </message>
        <message>
            <source>Per-minute rollups</source>
            <translation>Minuutaggregaten</translation>
        </message>
        <message>
            <source>Per-hour rollups</source>
            <translation>Uuraggregaten</translation>
        </message>
        <message>
            <source>every sample as received, with its raw value</source>
            <translation>elke meting zoals ontvangen, met de ruwe waarde</translation>
        </message>
        <message>
            <source>min / max / average / count per minute</source>
            <translation>min / max / gemiddelde / aantal per minuut</translation>
        </message>
        <message>
            <source>min / max / average / count per hour: years of trends</source>
            <translation>min / max / gemiddelde / aantal per uur: jaren aan trends</translation>
        </message>
        <message>
            <source>How long history is kept, for every workstation of this site. Older data is deleted by the instance that ingests, once an hour. Raw readings are only deleted after they have been rolled up, so trends zoomed out stay complete.</source>
            <translation>Hoe lang de historie bewaard blijft, voor alle werkstations van deze locatie. Oudere gegevens worden eens per uur verwijderd door de instantie die de metingen verwerkt. Ruwe metingen worden pas verwijderd nadat ze zijn geaggregeerd, zodat uitgezoomde trends volledig blijven.</translation>
        </message>
        <message>
            <source>Data retention</source>
            <translation>Bewaartermijn</translation>
        </message>
        <message>
            <source> days</source>
            <translation> dagen</translation>
        </message>
        <message>
            <source>forever</source>
            <translation>altijd</translation>
        </message>
        <message>
            <source>Save for the site</source>
            <translation>Opslaan voor de locatie</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Sluiten</translation>
        </message>
        <message>
            <source>Reading the site's settings…</source>
            <translation>Instellingen van de locatie worden gelezen…</translation>
        </message>
        <message>
            <source>Only an administrator may change the retention.</source>
            <translation>Alleen een beheerder mag de bewaartermijn wijzigen.</translation>
        </message>
        <message>
            <source>Nobody is signed in: sign in first.</source>
            <translation>Er is niemand aangemeld: meld u eerst aan.</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Opslaan…</translation>
        </message>
        <message>
            <source>Saved: applied at the next pruning pass of the ingesting instance.</source>
            <translation>Opgeslagen: wordt toegepast bij de volgende opschoonronde van de verwerkende instantie.</translation>
        </message>
    </context>
    <context>
        <name>SaveViewDialog</name>
        <message>
            <source>Save trend view</source>
            <translation>Trendweergave opslaan</translation>
        </message>
        <message>
            <source>Name of the view:</source>
            <translation>Naam van de weergave:</translation>
        </message>
    </context>
    <context>
        <name>SavedViewsController</name>
        <message>
            <source>Saved views</source>
            <translation>Opgeslagen weergaven</translation>
        </message>
        <message>
            <source>Saving the view</source>
            <translation>Opslaan van de weergave</translation>
        </message>
        <message>
            <source>Deleting the view</source>
            <translation>Verwijderen van de weergave</translation>
        </message>
        <message>
            <source>Sign in to save trend views</source>
            <translation>Meld u aan om trendweergaven op te slaan</translation>
        </message>
        <message>
            <source>View “{name}” saved and shared</source>
            <translation>Weergave “{name}” opgeslagen en gedeeld</translation>
        </message>
        <message>
            <source>View “{name}” saved</source>
            <translation>Weergave “{name}” opgeslagen</translation>
        </message>
    </context>
    <context>
        <name>SensorFaceplate</name>
        <message>
            <source>Last hour</source>
            <translation>Afgelopen uur</translation>
        </message>
        <message>
            <source>Last 8 hours</source>
            <translation>Afgelopen 8 uur</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Afgelopen 24 uur</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Afgelopen 7 dagen</translation>
        </message>
        <message>
            <source>against a reference</source>
            <translation>tegen een referentie</translation>
        </message>
        <message>
            <source>typed in</source>
            <translation>handmatig ingevoerd</translation>
        </message>
        <message>
            <source>plant file import</source>
            <translation>import van installatiebestand</translation>
        </message>
        <message>
            <source>Trend</source>
            <translation>Trend</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Grenswaarden</translation>
        </message>
        <message>
            <source>Calibration</source>
            <translation>Kalibratie</translation>
        </message>
        <message>
            <source>Alarms</source>
            <translation>Alarmen</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historie</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Vernieuwen</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Aantal</translation>
        </message>
        <message>
            <source>Average</source>
            <translation>Gemiddelde</translation>
        </message>
        <message>
            <source>Minimum</source>
            <translation>Minimum</translation>
        </message>
        <message>
            <source>Maximum</source>
            <translation>Maximum</translation>
        </message>
        <message>
            <source>Latest</source>
            <translation>Laatste</translation>
        </message>
        <message>
            <source>Statistics</source>
            <translation>Statistiek</translation>
        </message>
        <message>
            <source>Alarm limits</source>
            <translation>Alarmgrenzen</translation>
        </message>
        <message>
            <source>Sampling</source>
            <translation>Bemonstering</translation>
        </message>
        <message>
            <source>Save limits</source>
            <translation>Grenswaarden opslaan</translation>
        </message>
        <message>
            <source>Save interval</source>
            <translation>Interval opslaan</translation>
        </message>
        <message>
            <source>Calibrate against a reference value</source>
            <translation>Kalibreren tegen een referentiewaarde</translation>
        </message>
        <message>
            <source>Reference reading in {unit}</source>
            <translation>Referentiewaarde in {unit}</translation>
        </message>
        <message>
            <source>Propose</source>
            <translation>Voorstellen</translation>
        </message>
        <message>
            <source>Reason (kept with the calibration record), e.g. reference thermometer T-12</source>
            <translation>Reden (wordt bewaard), bijv. thermometer T-12</translation>
        </message>
        <message>
            <source>Apply calibration</source>
            <translation>Kalibratie toepassen</translation>
        </message>
        <message>
            <source>Set offset and multiplier</source>
            <translation>Offset en factor instellen</translation>
        </message>
        <message>
            <source>Reason for the change</source>
            <translation>Reden van de wijziging</translation>
        </message>
        <message>
            <source>Save calibration</source>
            <translation>Kalibratie opslaan</translation>
        </message>
        <message>
            <source>Calibration history</source>
            <translation>Kalibratiehistorie</translation>
        </message>
        <message>
            <source>v</source>
            <comment>calibration version</comment>
            <translation>v</translation>
        </message>
        <message>
            <source>When</source>
            <translation>Wanneer</translation>
        </message>
        <message>
            <source>Who</source>
            <translation>Wie</translation>
        </message>
        <message>
            <source>Offset</source>
            <translation>Offset</translation>
        </message>
        <message>
            <source>Mult.</source>
            <translation>Factor</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>Waarom</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>Prioriteit</translation>
        </message>
        <message>
            <source>Alarm</source>
            <translation>Alarm</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Toestand</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Waarde</translation>
        </message>
        <message>
            <source>Since</source>
            <translation>Sinds</translation>
        </message>
        <message>
            <source>What</source>
            <translation>Wat</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Wijziging</translation>
        </message>
        <message>
            <source>Every change, command and refusal about this sensor</source>
            <translation>Elke wijziging, opdracht en weigering voor deze sensor</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>Uitgeschakeld</translation>
        </message>
        <message>
            <source>No reading yet</source>
            <translation>Nog geen meting</translation>
        </message>
        <message>
            <source>{quality} · {age} ago</source>
            <translation>{quality} · {age} geleden</translation>
        </message>
        <message>
            <source>{quality} · {age} ago · raw {raw}</source>
            <translation>{quality} · {age} geleden · ruw {raw}</translation>
        </message>
        <message>
            <source>every {n} s</source>
            <translation>elke {n} s</translation>
        </message>
        <message>
            <source>Disable sensor</source>
            <translation>Sensor uitschakelen</translation>
        </message>
        <message>
            <source>Enable sensor</source>
            <translation>Sensor inschakelen</translation>
        </message>
        <message>
            <source>Now: calibrated = raw × {multiplier} {offset} {unit}</source>
            <translation>Nu: gekalibreerd = ruw × {multiplier} {offset} {unit}</translation>
        </message>
        <message>
            <source>Read only: {reason}.</source>
            <translation>Alleen lezen: {reason}.</translation>
        </message>
        <message>
            <source>Statistics need the history database.</source>
            <translation>Voor statistiek is de historiedatabase nodig.</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Laden…</translation>
        </message>
        <message>
            <source>{range}: good and uncertain values; latest at {when}</source>
            <translation>{range}: goede en onzekere waarden; laatste om {when}</translation>
        </message>
        <message>
            <source>{range}: good and uncertain values</source>
            <translation>{range}: goede en onzekere waarden</translation>
        </message>
        <message>
            <source>Statistics unavailable: {reason}</source>
            <translation>Statistiek niet beschikbaar: {reason}</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Opslaan…</translation>
        </message>
        <message>
            <source>Alarm limits saved.</source>
            <translation>Alarmgrenzen opgeslagen.</translation>
        </message>
        <message>
            <source>Alarm limits saved and sent to the device.</source>
            <translation>Alarmgrenzen opgeslagen en naar het apparaat verzonden.</translation>
        </message>
        <message>
            <source>Alarm limits saved; sending them to the device failed: {reason}</source>
            <translation>Alarmgrenzen opgeslagen; verzenden naar het apparaat is mislukt: {reason}</translation>
        </message>
        <message>
            <source>edit thresholds</source>
            <translation>grenswaarden wijzigen</translation>
        </message>
        <message>
            <source>Enter a sampling interval.</source>
            <translation>Voer een meetinterval in.</translation>
        </message>
        <message>
            <source>Sampling interval saved.</source>
            <translation>Meetinterval opgeslagen.</translation>
        </message>
        <message>
            <source>Sampling interval saved and sent to the device.</source>
            <translation>Meetinterval opgeslagen en naar het apparaat verzonden.</translation>
        </message>
        <message>
            <source>Sampling interval saved; sending it to the device failed: {reason}</source>
            <translation>Meetinterval opgeslagen; verzenden naar het apparaat is mislukt: {reason}</translation>
        </message>
        <message>
            <source>edit sensors</source>
            <translation>sensoren wijzigen</translation>
        </message>
        <message>
            <source>send the configuration</source>
            <translation>de configuratie verzenden</translation>
        </message>
        <message>
            <source>Sensor enabled.</source>
            <translation>Sensor ingeschakeld.</translation>
        </message>
        <message>
            <source>Sensor disabled: it is no longer read nor alarmed.</source>
            <translation>Sensor uitgeschakeld: hij wordt niet meer gelezen en geeft geen alarmen meer.</translation>
        </message>
        <message>
            <source>enable a sensor</source>
            <translation>een sensor inschakelen</translation>
        </message>
        <message>
            <source>disable a sensor</source>
            <translation>een sensor uitschakelen</translation>
        </message>
        <message>
            <source>Calibration commands are not available on this console.</source>
            <translation>Kalibratieopdrachten zijn op deze console niet beschikbaar.</translation>
        </message>
        <message>
            <source>Enter the reference value as a number.</source>
            <translation>Voer de referentiewaarde in als getal.</translation>
        </message>
        <message>
            <source>No live reading yet: wait for one, then propose again.</source>
            <translation>Nog geen actuele meting: wacht op een meting en stel dan opnieuw voor.</translation>
        </message>
        <message>
            <source>Latest reading {reading} (raw {raw}); reference {reference}.</source>
            <translation>Laatste meting {reading} (ruw {raw}); referentie {reference}.</translation>
        </message>
        <message>
            <source>Offset correction {correction} {unit}: offset {before} → {after}, multiplier ×{multiplier}. Nothing is applied until you press Apply calibration.</source>
            <translation>Offsetcorrectie {correction} {unit}: offset {before} → {after}, factor ×{multiplier}. Er wordt niets toegepast tot u op Kalibratie toepassen drukt.</translation>
        </message>
        <message>
            <source>Propose a calibration first.</source>
            <translation>Stel eerst een kalibratie voor.</translation>
        </message>
        <message>
            <source>Enter a reason: it is kept with the calibration record.</source>
            <translation>Voer een reden in: deze wordt bij het kalibratierecord bewaard.</translation>
        </message>
        <message>
            <source>Applying…</source>
            <translation>Toepassen…</translation>
        </message>
        <message>
            <source>edit calibration</source>
            <translation>de kalibratie wijzigen</translation>
        </message>
        <message>
            <source>Calibration applied (version {version}): offset {offset}.</source>
            <translation>Kalibratie toegepast (versie {version}): offset {offset}.</translation>
        </message>
        <message>
            <source>Enter a reason for the calibration change.</source>
            <translation>Voer een reden in voor de kalibratiewijziging.</translation>
        </message>
        <message>
            <source>Calibration saved.</source>
            <translation>Kalibratie opgeslagen.</translation>
        </message>
        <message>
            <source>{kind}; raw {raw}, reference {reference}</source>
            <translation>{kind}; ruw {raw}, referentie {reference}</translation>
        </message>
        <message>
            <source>History unavailable: {reason}</source>
            <translation>Historie niet beschikbaar: {reason}</translation>
        </message>
        <message>
            <source>Alarms are not available on this console.</source>
            <translation>Alarmen zijn op deze console niet beschikbaar.</translation>
        </message>
        <message numerus="yes">
            <source>%n alarm(s) of this sensor not yet finished</source>
            <translation>
                <numerusform>%n alarm van deze sensor nog niet afgehandeld</numerusform>
                <numerusform>%n alarmen van deze sensor nog niet afgehandeld</numerusform>
            </translation>
        </message>
        <message>
            <source>No alarm of this sensor is active or waiting for acknowledgement.</source>
            <translation>Geen alarm van deze sensor is actief of wacht op bevestiging.</translation>
        </message>
        <message>
            <source>Alarms ({n})</source>
            <translation>Alarmen ({n})</translation>
        </message>
    </context>
    <context>
        <name>SensorTree</name>
        <message>
            <source>Filter sensors</source>
            <translation>Sensoren filteren</translation>
        </message>
    </context>
    <context>
        <name>SensorTreeModel</name>
        <message>
            <source>Sensor</source>
            <translation>Sensor</translation>
        </message>
    </context>
    <context>
        <name>TrendJobs</name>
        <message>
            <source>raw rows</source>
            <translation>ruwe metingen</translation>
        </message>
        <message>
            <source>minute rollups</source>
            <translation>minuutaggregaten</translation>
        </message>
        <message>
            <source>hour rollups</source>
            <translation>uuraggregaten</translation>
        </message>
        <message>
            <source>raw samples</source>
            <translation>ruwe metingen</translation>
        </message>
        <message>
            <source>{n} s</source>
            <translation>{n} s</translation>
        </message>
        <message>
            <source>{n} min</source>
            <translation>{n} min</translation>
        </message>
        <message>
            <source>{n} h</source>
            <translation>{n} u</translation>
        </message>
        <message>
            <source>min/max per {width} from {source}</source>
            <translation>min/max per {width} uit {source}</translation>
        </message>
    </context>
    <context>
        <name>TrendScreen</name>
        <message>
            <source>Resume</source>
            <translation>Hervatten</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pauzeren</translation>
        </message>
        <message>
            <source>The range must end after it starts</source>
            <translation>Het bereik moet eindigen na het begin</translation>
        </message>
        <message>
            <source>Loading history…</source>
            <translation>Historie laden…</translation>
        </message>
        <message>
            <source>{what} failed: {reason}</source>
            <translation>{what} mislukt: {reason}</translation>
        </message>
        <message>
            <source>Exported {path}</source>
            <translation>Geëxporteerd: {path}</translation>
        </message>
        <message>
            <source>History backfill</source>
            <translation>Aanvullen uit historie</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historie</translation>
        </message>
        <message>
            <source>Statistics</source>
            <translation>Statistiek</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Export</translation>
        </message>
        <message>
            <source>Could not write {path}</source>
            <translation>Kan {path} niet schrijven</translation>
        </message>
        <message>
            <source>Export visible data</source>
            <translation>Zichtbare gegevens exporteren</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV-bestanden (*.csv)</translation>
        </message>
        <message>
            <source>Export plot</source>
            <translation>Grafiek exporteren</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG-afbeeldingen (*.png)</translation>
        </message>
        <message>
            <source>View “{name}”</source>
            <translation>Weergave “{name}”</translation>
        </message>
        <message>
            <source>View “{name}” by {owner}</source>
            <translation>Weergave “{name}” van {owner}</translation>
        </message>
        <message>
            <source>1 pen</source>
            <translation>1 pen</translation>
        </message>
        <message>
            <source>{n} pens</source>
            <translation>{n} pennen</translation>
        </message>
        <message>
            <source>Live · paused — readings are still recorded · {pens}</source>
            <translation>Live · gepauzeerd — metingen worden nog steeds vastgelegd · {pens}</translation>
        </message>
        <message>
            <source>Live · last {window} · {pens}</source>
            <translation>Live · laatste {window} · {pens}</translation>
        </message>
        <message>
            <source>History · {range} · {pens}</source>
            <translation>Historie · {range} · {pens}</translation>
        </message>
        <message>
            <source>no history for {sensors}</source>
            <translation>geen historie voor {sensors}</translation>
        </message>
    </context>
    <context>
        <name>TrendToolbar</name>
        <message>
            <source>One axis per unit</source>
            <translation>Eén as per eenheid</translation>
        </message>
        <message>
            <source>Stacked panes</source>
            <translation>Gestapeld per eenheid</translation>
        </message>
        <message>
            <source>Last hour</source>
            <translation>Afgelopen uur</translation>
        </message>
        <message>
            <source>This shift</source>
            <translation>Deze dienst</translation>
        </message>
        <message>
            <source>Last 24 h</source>
            <translation>Afgelopen 24 u</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Afgelopen 7 dagen</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>Afgelopen 30 dagen</translation>
        </message>
        <message>
            <source>Custom</source>
            <translation>Aangepast</translation>
        </message>
        <message>
            <source>1 min</source>
            <translation>1 min</translation>
        </message>
        <message>
            <source>5 min</source>
            <translation>5 min</translation>
        </message>
        <message>
            <source>15 min</source>
            <translation>15 min</translation>
        </message>
        <message>
            <source>1 h</source>
            <translation>1 u</translation>
        </message>
        <message>
            <source>4 h</source>
            <translation>4 u</translation>
        </message>
        <message>
            <source>8 h</source>
            <translation>8 u</translation>
        </message>
        <message>
            <source>24 h</source>
            <translation>24 u</translation>
        </message>
        <message>
            <source>Live</source>
            <translation>Live</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historie</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Venster</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pauzeren</translation>
        </message>
        <message>
            <source>Freeze the picture; readings keep being recorded</source>
            <translation>Beeld bevriezen; metingen worden nog steeds vastgelegd</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Toepassen</translation>
        </message>
        <message>
            <source>Cursor</source>
            <translation>Cursor</translation>
        </message>
        <message>
            <source>A time cursor: the value of every pen at that time</source>
            <translation>Een tijdcursor: de waarde van elke pen op dat moment</translation>
        </message>
        <message>
            <source>Saved views</source>
            <translation>Opgeslagen weergaven</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Weergaven</translation>
        </message>
        <message>
            <source>Save view</source>
            <translation>Weergave opslaan</translation>
        </message>
        <message>
            <source>Save view as…</source>
            <translation>Weergave opslaan als…</translation>
        </message>
        <message>
            <source>Shared with everyone</source>
            <translation>Gedeeld met iedereen</translation>
        </message>
        <message>
            <source>Delete view</source>
            <translation>Weergave verwijderen</translation>
        </message>
        <message>
            <source>Data retention…</source>
            <translation>Bewaartermijn…</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exporteren</translation>
        </message>
        <message>
            <source>Visible data to CSV…</source>
            <translation>Zichtbare gegevens naar CSV…</translation>
        </message>
        <message>
            <source>Plot to PNG…</source>
            <translation>Grafiek naar PNG…</translation>
        </message>
    </context>
</TS>
