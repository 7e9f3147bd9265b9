<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>BindingRowsModel</name>
        <message>
            <source>Element id</source>
            <translation>Element-id</translation>
        </message>
        <message>
            <source>Binding</source>
            <translation>Koppeling</translation>
        </message>
        <message>
            <source>Sensors</source>
            <translation>Sensoren</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Controle</translation>
        </message>
        <message>
            <source>symbol {symbol}</source>
            <translation>symbool {symbol}</translation>
        </message>
    </context>
    <context>
        <name>MillActions</name>
        <message>
            <source>sent</source>
            <translation>verzonden</translation>
        </message>
        <message>
            <source>confirmed</source>
            <translation>bevestigd</translation>
        </message>
        <message>
            <source>applied</source>
            <translation>uitgevoerd</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>geweigerd</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>mislukt</translation>
        </message>
        <message>
            <source>Production started in {ms} ms.</source>
            <translation>Productie gestart in {ms} ms.</translation>
        </message>
        <message>
            <source>Production started.</source>
            <translation>Productie gestart.</translation>
        </message>
        <message>
            <source>Production start {state} in {ms} ms.</source>
            <translation>Productiestart {state} in {ms} ms.</translation>
        </message>
        <message>
            <source>Production start {state}.</source>
            <translation>Productiestart {state}.</translation>
        </message>
        <message>
            <source>Production not started: {reason}</source>
            <translation>Productie niet gestart: {reason}</translation>
        </message>
        <message>
            <source>Mill status</source>
            <translation>Molenstatus</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Starten…</translation>
        </message>
        <message>
            <source>Ask the mill's controller to start production</source>
            <translation>De besturing van de molen vragen de productie te starten</translation>
        </message>
        <message>
            <source>Start production</source>
            <translation>Productie starten</translation>
        </message>
        <message>
            <source>Starting production is not available on this workstation</source>
            <translation>Productie starten is op dit werkstation niet beschikbaar</translation>
        </message>
        <message>
            <source>Starting production on {mill}…</source>
            <translation>Productie starten op {mill}…</translation>
        </message>
    </context>
    <context>
        <name>OverviewScreen</name>
        <message>
            <source>No mills to show: your account has no mill assigned.</source>
            <translation>Geen molens te tonen: aan uw account is geen molen toegewezen.</translation>
        </message>
        <message>
            <source>Plant overview</source>
            <translation>Installatieoverzicht</translation>
        </message>
        <message>
            <source>{n} mill</source>
            <translation>{n} molen</translation>
        </message>
        <message>
            <source>{n} mills</source>
            <translation>{n} molens</translation>
        </message>
        <message>
            <source>no sensor in alarm</source>
            <translation>geen sensor in alarm</translation>
        </message>
        <message>
            <source>{n} sensor in alarm</source>
            <translation>{n} sensor in alarm</translation>
        </message>
        <message>
            <source>{n} sensors in alarm</source>
            <translation>{n} sensoren in alarm</translation>
        </message>
        <message>
            <source>{n} bad</source>
            <translation>{n} slecht</translation>
        </message>
        <message>
            <source>Production and alerts: not available on this workstation</source>
            <translation>Productie en meldingen: niet beschikbaar op dit werkstation</translation>
        </message>
        <message>
            <source>Production and alerts as of {time}</source>
            <translation>Productie en meldingen bijgewerkt om {time}</translation>
        </message>
        <message>
            <source>Database unreachable</source>
            <translation>Database onbereikbaar</translation>
        </message>
        <message>
            <source>Database unreachable: figures from {time}</source>
            <translation>Database onbereikbaar: cijfers van {time}</translation>
        </message>
    </context>
    <context>
        <name>OverviewTile</name>
        <message>
            <source>unknown</source>
            <translation>onbekend</translation>
        </message>
        <message>
            <source>efficiency today {efficiency}</source>
            <translation>rendement vandaag {efficiency}</translation>
        </message>
        <message>
            <source>{alarm} in alarm, {bad} bad, {stale} stale</source>
            <translation>{alarm} in alarm, {bad} slecht, {stale} verouderd</translation>
        </message>
        <message>
            <source>{alerts} unacknowledged alerts in 24 h</source>
            <translation>{alerts} onbevestigde meldingen in 24 u</translation>
        </message>
        <message>
            <source>e-stop: {state}</source>
            <translation>noodstop: {state}</translation>
        </message>
        <message>
            <source>Click or press Enter to open the mill.</source>
            <translation>Klik of druk op Enter om de molen te openen.</translation>
        </message>
        <message>
            <source>{n} sensor</source>
            <translation>{n} sensor</translation>
        </message>
        <message>
            <source>{n} sensors</source>
            <translation>{n} sensoren</translation>
        </message>
        <message>
            <source>Efficiency today</source>
            <translation>Rendement vandaag</translation>
        </message>
        <message>
            <source>{produced} t of {capacity} t/day</source>
            <translation>{produced} t van {capacity} t/dag</translation>
        </message>
        <message>
            <source>waiting for the database…</source>
            <translation>wachten op de database…</translation>
        </message>
        <message>
            <source>nothing reported today · capacity {capacity} t/day</source>
            <translation>vandaag niets gemeld · capaciteit {capacity} t/dag</translation>
        </message>
        <message>
            <source>In alarm</source>
            <translation>In alarm</translation>
        </message>
        <message>
            <source>Bad</source>
            <translation>Slecht</translation>
        </message>
        <message>
            <source>Stale</source>
            <translation>Verouderd</translation>
        </message>
        <message>
            <source>Alerts 24h</source>
            <translation>Meld. 24 u</translation>
        </message>
        <message>
            <source>E-stop: {state}</source>
            <translation>Noodstop: {state}</translation>
        </message>
    </context>
    <context>
        <name>SchematicBindingEditor</name>
        <message>
            <source>Schematic bindings</source>
            <translation>Schemakoppelingen</translation>
        </message>
        <message>
            <source>Open SVG…</source>
            <translation>SVG openen…</translation>
        </message>
        <message>
            <source>Validate</source>
            <translation>Controleren</translation>
        </message>
        <message>
            <source>Save bindings</source>
            <translation>Koppelingen opslaan</translation>
        </message>
        <message>
            <source>No drawing open</source>
            <translation>Geen tekening geopend</translation>
        </message>
        <message>
            <source>(from the sensors)</source>
            <translation>(volgens de sensoren)</translation>
        </message>
        <message>
            <source>Title shown on the schematic tab</source>
            <translation>Titel op het tabblad van het schema</translation>
        </message>
        <message>
            <source>(no symbol: one sensor)</source>
            <translation>(geen symbool: één sensor)</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Screen</source>
            <translation>Scherm</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titel</translation>
        </message>
        <message>
            <source>Symbol</source>
            <translation>Symbool</translation>
        </message>
        <message>
            <source>Display</source>
            <translation>Weergave</translation>
        </message>
        <message>
            <source>Open a schematic drawing</source>
            <translation>Een schematekening openen</translation>
        </message>
        <message>
            <source>SVG drawings (*.svg)</source>
            <translation>SVG-tekeningen (*.svg)</translation>
        </message>
        <message>
            <source>{file}: not a usable SVG: {error}</source>
            <translation>{file}: geen bruikbare SVG: {error}</translation>
        </message>
        <message>
            <source>{file}: cannot read ({error}); starting empty</source>
            <translation>{file}: kan niet worden gelezen ({error}); er wordt leeg begonnen</translation>
        </message>
        <message>
            <source>(not bound)</source>
            <translation>(niet gekoppeld)</translation>
        </message>
        <message>
            <source>unknown sensor {eui}</source>
            <translation>onbekende sensor {eui}</translation>
        </message>
        <message>
            <source>Sensor</source>
            <translation>Sensor</translation>
        </message>
        <message>
            <source>open an SVG first</source>
            <translation>open eerst een SVG</translation>
        </message>
        <message>
            <source>id {id}: used by several elements in the SVG; rename one in Inkscape (Object properties)</source>
            <translation>id {id}: door meerdere elementen in de SVG gebruikt; hernoem er één in Inkscape (Objecteigenschappen)</translation>
        </message>
        <message>
            <source>ok</source>
            <translation>ok</translation>
        </message>
        <message>
            <source>Not saved: fix these first.</source>
            <translation>Niet opgeslagen: los eerst deze problemen op.</translation>
        </message>
        <message>
            <source>Not saved: sign in first.</source>
            <translation>Niet opgeslagen: meld u eerst aan.</translation>
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation>Niet opgeslagen: {reason}</translation>
        </message>
        <message>
            <source>Not saved: cannot write {path}: {error}</source>
            <translation>Niet opgeslagen: kan {path} niet schrijven: {error}</translation>
        </message>
        <message>
            <source>Saved {file}</source>
            <translation>{file} opgeslagen</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>Geen problemen gevonden.</translation>
        </message>
    </context>
    <context>
        <name>SchematicScreen</name>
        <message>
            <source>Fit</source>
            <translation>Passend</translation>
        </message>
        <message>
            <source>Zoom to fit the whole drawing</source>
            <translation>Zoomen zodat de hele tekening past</translation>
        </message>
        <message>
            <source>Zoom out (or turn the mouse wheel)</source>
            <translation>Uitzoomen (of draai aan het muiswiel)</translation>
        </message>
        <message>
            <source>Zoom in (or turn the mouse wheel); drag to pan</source>
            <translation>Inzoomen (of draai aan het muiswiel); sleep om te verschuiven</translation>
        </message>
        <message>
            <source>Edit bindings…</source>
            <translation>Koppelingen bewerken…</translation>
        </message>
        <message>
            <source>Bind the drawing's elements to sensors (technicians and admins)</source>
            <translation>De elementen van de tekening aan sensoren koppelen (technici en beheerders)</translation>
        </message>
        <message>
            <source>no schematic for mill {mill}</source>
            <translation>geen schema voor molen {mill}</translation>
        </message>
        <message>
            <source>library</source>
            <translation>bibliotheek</translation>
        </message>
        <message>
            <source>schematic</source>
            <translation>schema</translation>
        </message>
        <message>
            <source>no schematic named {name}</source>
            <translation>geen schema met de naam {name}</translation>
        </message>
        <message>
            <source>&lt;b&gt;1 problem in the schematic files&lt;/b&gt; (the rest of the graphic works; fix the files and reopen the screen):</source>
            <translation>&lt;b&gt;1 probleem in de schemabestanden&lt;/b&gt; (de rest van de tekening werkt; herstel de bestanden en open het scherm opnieuw):</translation>
        </message>
        <message>
            <source>&lt;b&gt;{n} problems in the schematic files&lt;/b&gt; (the rest of the graphic works; fix the files and reopen the screen):</source>
            <translation>&lt;b&gt;{n} problemen in de schemabestanden&lt;/b&gt; (de rest van de tekening werkt; herstel de bestanden en open het scherm opnieuw):</translation>
        </message>
        <message>
            <source>… and {n} more (hover to see all)</source>
            <translation>… en nog {n} (wijs aan om alles te zien)</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Gereed</translation>
        </message>
        <message>
            <source>Mill status: &lt;b&gt;{status}&lt;/b&gt;</source>
            <translation>Molenstatus: &lt;b&gt;{status}&lt;/b&gt;</translation>
        </message>
        <message>
            <source>E-stop: &lt;b&gt;{state}&lt;/b&gt;</source>
            <translation>Noodstop: &lt;b&gt;{state}&lt;/b&gt;</translation>
        </message>
    </context>
    <context>
        <name>SchematicTitles</name>
        <message>
            <source>Overview</source>
            <translation>Overzicht</translation>
        </message>
        <message>
            <source>Cleaning house</source>
            <translation>Reiniging</translation>
        </message>
    </context>
    <context>
        <name>SchematicView</name>
        <message>
            <source>No data</source>
            <translation>Geen gegevens</translation>
        </message>
        <message>
            <source>Normal</source>
            <translation>Normaal</translation>
        </message>
        <message>
            <source>Stale</source>
            <translation>Verouderd</translation>
        </message>
        <message>
            <source>Bad quality</source>
            <translation>Slechte kwaliteit</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Waarschuwing</translation>
        </message>
        <message>
            <source>Critical</source>
            <translation>Kritiek</translation>
        </message>
        <message>
            <source>Emergency</source>
            <translation>Noodgeval</translation>
        </message>
        <message>
            <source>Motor</source>
            <translation>Motor</translation>
        </message>
        <message>
            <source>Vibration</source>
            <translation>Trilling</translation>
        </message>
        <message>
            <source>Bearing</source>
            <translation>Lager</translation>
        </message>
        <message>
            <source>Aspiration</source>
            <translation>Aspiratie</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Niveau</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>Temperatuur</translation>
        </message>
        <message>
            <source>Humidity</source>
            <translation>Vochtigheid</translation>
        </message>
        <message>
            <source>Moisture</source>
            <translation>Vocht</translation>
        </message>
        <message>
            <source>Pressure</source>
            <translation>Druk</translation>
        </message>
        <message>
            <source>Water</source>
            <translation>Water</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Debiet</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Overzicht</translation>
        </message>
        <message>
            <source>Detail</source>
            <translation>Detail</translation>
        </message>
        <message>
            <source>value</source>
            <translation>waarde</translation>
        </message>
        <message>
            <source>state</source>
            <translation>toestand</translation>
        </message>
        <message>
            <source>level</source>
            <translation>niveau</translation>
        </message>
        <message>
            <source>running</source>
            <translation>in bedrijf</translation>
        </message>
        <message>
            <source>stale</source>
            <translation>verouderd</translation>
        </message>
        <message>
            <source>bucket elevator</source>
            <translation>elevator</translation>
        </message>
        <message>
            <source>roller mill</source>
            <translation>walsstoel</translation>
        </message>
        <message>
            <source>plansifter</source>
            <translation>plansichter</translation>
        </message>
        <message>
            <source>purifier</source>
            <translation>griesreiniger</translation>
        </message>
        <message>
            <source>silo</source>
            <translation>silo</translation>
        </message>
        <message>
            <source>bin</source>
            <translation>cel</translation>
        </message>
        <message>
            <source>conveyor</source>
            <translation>transporteur</translation>
        </message>
        <message>
            <source>fan</source>
            <translation>ventilator</translation>
        </message>
        <message>
            <source>filter</source>
            <translation>filter</translation>
        </message>
        <message>
            <source>dampener</source>
            <translation>bevochtiger</translation>
        </message>
        <message>
            <source>packer</source>
            <translation>afzakmachine</translation>
        </message>
        <message>
            <source>machine</source>
            <translation>machine</translation>
        </message>
        <message>
            <source>no drawing</source>
            <translation>geen tekening</translation>
        </message>
        <message>
            <source>{schematic}: drawing unavailable
{reason}</source>
            <translation>{schematic}: tekening niet beschikbaar
{reason}</translation>
        </message>
        <message>
            <source>{schematic}: Qt cannot render the drawing</source>
            <translation>{schematic}: Qt kan de tekening niet weergeven</translation>
        </message>
        <message>
            <source>Qt cannot render the SVG</source>
            <translation>Qt kan de SVG niet weergeven</translation>
        </message>
        <message>
            <source>Mill status</source>
            <translation>Molenstatus</translation>
        </message>
        <message>
            <source>E-stop</source>
            <translation>Noodstop</translation>
        </message>
        <message>
            <source>Open {target}</source>
            <translation>{target} openen</translation>
        </message>
        <message>
            <source>Value: &lt;b&gt;{value}&lt;/b&gt;</source>
            <translation>Meetwaarde: &lt;b&gt;{value}&lt;/b&gt;</translation>
        </message>
        <message>
            <source>Quality: {quality} · State: {state}</source>
            <translation>Kwaliteit: {quality} · Toestand: {state}</translation>
        </message>
        <message>
            <source>Quality: {quality} · {age} ago · State: {state}</source>
            <translation>Kwaliteit: {quality} · {age} geleden · Toestand: {state}</translation>
        </message>
        <message>
            <source>unacknowledged</source>
            <translation>niet bevestigd</translation>
        </message>
        <message>
            <source>acknowledged</source>
            <translation>bevestigd</translation>
        </message>
        <message>
            <source>Alarm: &lt;b&gt;{kind}&lt;/b&gt; · {priority} · {acknowledged}</source>
            <translation>Alarm: &lt;b&gt;{kind}&lt;/b&gt; · {priority} · {acknowledged}</translation>
        </message>
        <message>
            <source>Limits ({unit}): {limits}</source>
            <translation>Grenswaarden ({unit}): {limits}</translation>
        </message>
        <message>
            <source>Also: {sensors}</source>
            <translation>Ook: {sensors}</translation>
        </message>
        <message>
            <source>{eui} · click for the faceplate</source>
            <translation>{eui} · klik voor de faceplate</translation>
        </message>
    </context>
    <context>
        <name>SensorBoard</name>
        <message>
            <source>Normal</source>
            <translation>Normaal</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Waarschuwing</translation>
        </message>
        <message>
            <source>Critical</source>
            <translation>Kritiek</translation>
        </message>
        <message>
            <source>Bad quality</source>
            <translation>Slechte kwaliteit</translation>
        </message>
        <message>
            <source>Stale</source>
            <translation>Verouderd</translation>
        </message>
        <message>
            <source>No data</source>
            <translation>Geen gegevens</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>Uitgeschakeld</translation>
        </message>
        <message>
            <source>Alarm</source>
            <translation>Alarm</translation>
        </message>
        <message>
            <source>Bad</source>
            <translation>Slecht</translation>
        </message>
    </context>
    <context>
        <name>SensorFilterBar</name>
        <message>
            <source>All types</source>
            <translation>Alle typen</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>All</source>
            <translation>Alle</translation>
        </message>
        <message>
            <source>{shown} of {total} sensors</source>
            <translation>{shown} van {total} sensoren</translation>
        </message>
        <message>
            <source>{n} sensor</source>
            <translation>{n} sensor</translation>
        </message>
        <message>
            <source>{n} sensors</source>
            <translation>{n} sensoren</translation>
        </message>
    </context>
    <context>
        <name>SensorTableModel</name>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Sensor</source>
            <translation>Sensor</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Locatie</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Meetwaarde</translation>
        </message>
        <message>
            <source>Last hour</source>
            <translation>Laatste uur</translation>
        </message>
        <message>
            <source>Quality</source>
            <translation>Kwaliteit</translation>
        </message>
        <message>
            <source>Age</source>
            <translation>Ouderdom</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Toestand</translation>
        </message>
        <message>
            <source>warning min</source>
            <translation>waarschuwing min</translation>
        </message>
        <message>
            <source>warning max</source>
            <translation>waarschuwing max</translation>
        </message>
        <message>
            <source>critical min</source>
            <translation>kritiek min</translation>
        </message>
        <message>
            <source>critical max</source>
            <translation>kritiek max</translation>
        </message>
        <message>
            <source>{state}; limits: {limits}</source>
            <translation>{state}; grenswaarden: {limits}</translation>
        </message>
        <message>
            <source>none</source>
            <translation>geen</translation>
        </message>
        <message>
            <source>{eui} at {time}</source>
            <translation>{eui} op {time}</translation>
        </message>
        <message>
            <source>Last hour: no usable readings yet</source>
            <translation>Laatste uur: nog geen bruikbare metingen</translation>
        </message>
        <message>
            <source>Last hour: {low} … {high}</source>
            <translation>Laatste uur: {low} … {high}</translation>
        </message>
    </context>
</TS>
