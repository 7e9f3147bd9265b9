<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>Messages</name>
        <message>
            <source>need flood_count &gt;= 1 and 0 &lt;= flood_end_count &lt;= flood_count</source>
            <translation>vereist: flood_count &gt;= 1 en 0 &lt;= flood_end_count &lt;= flood_count</translation>
        </message>
        <message>
            <source>flood_window_s must be &gt; 0</source>
            <translation>flood_window_s moet &gt; 0 zijn</translation>
        </message>
        <message>
            <source>max_shelve_minutes must be &gt; 0</source>
            <translation>max_shelve_minutes moet &gt; 0 zijn</translation>
        </message>
        <message>
            <source>sensor {eui}: {problem}</source>
            <translation>sensor {eui}: {problem}</translation>
        </message>
        <message>
            <source>unknown key</source>
            <translation>onbekende sleutel</translation>
        </message>
        <message>
            <source>span must be a finite number &gt; 0</source>
            <translation>span moet een eindig getal &gt; 0 zijn</translation>
        </message>
        <message>
            <source>a sensor cannot latch {kinds} alarms</source>
            <translation>een sensor kan alarmen van het type {kinds} niet vasthouden</translation>
        </message>
        <message>
            <source>must be a table</source>
            <translation>moet een tabel zijn</translation>
        </message>
        <message>
            <source>{name} must be a finite number &gt;= 0</source>
            <translation>{name} moet een eindig getal &gt;= 0 zijn</translation>
        </message>
        <message>
            <source>must be a number</source>
            <translation>moet een getal zijn</translation>
        </message>
        <message>
            <source>must be true or false</source>
            <translation>moet true of false zijn</translation>
        </message>
        <message>
            <source>must be one of {values}</source>
            <translation>moet een van de volgende zijn: {values}</translation>
        </message>
        <message>
            <source>must be true, false or a list of alarm kinds</source>
            <translation>moet true, false of een lijst met alarmtypen zijn</translation>
        </message>
        <message>
            <source>unknown alarm kind {kind!r}</source>
            <translation>onbekend alarmtype {kind!r}</translation>
        </message>
        <message>
            <source>an operator command needs the user who gives it</source>
            <translation>een bedieningsopdracht moet vermelden welke gebruiker haar geeft</translation>
        </message>
        <message>
            <source>{alarm}: {reason}</source>
            <translation>{alarm}: {reason}</translation>
        </message>
        <message>
            <source>no such alarm</source>
            <translation>dit alarm bestaat niet</translation>
        </message>
        <message>
            <source>high high</source>
            <translation>hoog hoog</translation>
        </message>
        <message>
            <source>high</source>
            <translation>hoog</translation>
        </message>
        <message>
            <source>low</source>
            <translation>laag</translation>
        </message>
        <message>
            <source>low low</source>
            <translation>laag laag</translation>
        </message>
        <message>
            <source>bad quality</source>
            <translation>slechte kwaliteit</translation>
        </message>
        <message>
            <source>communication lost</source>
            <translation>communicatie verbroken</translation>
        </message>
        <message>
            <source>mill error</source>
            <translation>molenstoring</translation>
        </message>
        <message>
            <source>emergency stop</source>
            <translation>noodstop</translation>
        </message>
        <message>
            <source>already acknowledged</source>
            <translation>al bevestigd</translation>
        </message>
        <message>
            <source>cannot reset while the condition is still active</source>
            <translation>resetten is niet mogelijk zolang de toestand nog actief is</translation>
        </message>
        <message>
            <source>not latched: nothing to reset</source>
            <translation>niet vastgehouden: niets te resetten</translation>
        </message>
        <message>
            <source>a {kind} alarm cannot be shelved</source>
            <translation>een alarm van het type {kind} kan niet worden geparkeerd</translation>
        </message>
        <message>
            <source>out of service: return it to service first</source>
            <translation>buiten dienst: neem het eerst weer in dienst</translation>
        </message>
        <message>
            <source>already shelved</source>
            <translation>al geparkeerd</translation>
        </message>
        <message>
            <source>shelving needs a reason</source>
            <translation>parkeren vereist een reden</translation>
        </message>
        <message>
            <source>shelve for minutes &gt; 0, not {minutes!r}</source>
            <translation>parkeer voor een aantal minuten &gt; 0, niet {minutes!r}</translation>
        </message>
        <message>
            <source>shelve for at most {minutes:g} minutes</source>
            <translation>parkeer voor hoogstens {minutes:g} minuten</translation>
        </message>
        <message>
            <source>not shelved</source>
            <translation>niet geparkeerd</translation>
        </message>
        <message>
            <source>the shelving time is not over</source>
            <translation>de parkeertijd is nog niet voorbij</translation>
        </message>
        <message>
            <source>a {kind} alarm is never suppressed</source>
            <translation>een alarm van het type {kind} wordt nooit onderdrukt</translation>
        </message>
        <message>
            <source>a {kind} alarm stays in service</source>
            <translation>een alarm van het type {kind} blijft altijd in dienst</translation>
        </message>
        <message>
            <source>already out of service</source>
            <translation>al buiten dienst</translation>
        </message>
        <message>
            <source>taking an alarm out of service needs a reason</source>
            <translation>een alarm buiten dienst stellen vereist een reden</translation>
        </message>
        <message>
            <source>not out of service</source>
            <translation>niet buiten dienst</translation>
        </message>
        <message>
            <source>nothing to acknowledge</source>
            <translation>niets te bevestigen</translation>
        </message>
        <message>
            <source>broker URL must start with mqtt:// or mqtts://, got {url!r}</source>
            <translation>de broker-URL moet beginnen met mqtt:// of mqtts://, ontvangen: {url!r}</translation>
        </message>
        <message>
            <source>put the broker password in the keyring, not in the URL</source>
            <translation>bewaar het brokerwachtwoord in de sleutelkluis, niet in de URL</translation>
        </message>
        <message>
            <source>broker URL {url!r} has no host</source>
            <translation>broker-URL {url!r} heeft geen host</translation>
        </message>
        <message>
            <source>broker URL {url!r} has a bad port</source>
            <translation>broker-URL {url!r} heeft een ongeldige poort</translation>
        </message>
        <message>
            <source>nothing to push: give thresholds and/or a sampling interval</source>
            <translation>niets te versturen: geef grenswaarden en/of een meetinterval op</translation>
        </message>
        <message>
            <source>{name} must be a finite number, got {value!r}</source>
            <translation>{name} moet een eindig getal zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>the latest reading ({value:g}) is not the current calibration of its raw value ({expected:g}): take a fresh reading</source>
            <translation>de laatste meting ({value:g}) komt niet overeen met de huidige kalibratie van de ruwe waarde ({expected:g}): neem een nieuwe meting</translation>
        </message>
        <message>
            <source>must be a number above 0, got {value!r}</source>
            <translation>moet een getal groter dan 0 zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>device EUI must be 16 hex digits, got {raw!r}</source>
            <translation>de apparaat-EUI moet uit 16 hexadecimale cijfers bestaan, ontvangen: {raw!r}</translation>
        </message>
        <message>
            <source>warning_min ({wmin:g}) must be below warning_max ({wmax:g})</source>
            <translation>warning_min ({wmin:g}) moet lager zijn dan warning_max ({wmax:g})</translation>
        </message>
        <message>
            <source>critical_min ({cmin:g}) must not be above warning_min ({wmin:g})</source>
            <translation>critical_min ({cmin:g}) mag niet hoger zijn dan warning_min ({wmin:g})</translation>
        </message>
        <message>
            <source>critical_max ({cmax:g}) must not be below warning_max ({wmax:g})</source>
            <translation>critical_max ({cmax:g}) mag niet lager zijn dan warning_max ({wmax:g})</translation>
        </message>
        <message>
            <source>critical_min ({cmin:g}) must be below critical_max ({cmax:g})</source>
            <translation>critical_min ({cmin:g}) moet lager zijn dan critical_max ({cmax:g})</translation>
        </message>
        <message>
            <source>critical_min ({cmin:g}) must be below warning_max ({wmax:g})</source>
            <translation>critical_min ({cmin:g}) moet lager zijn dan warning_max ({wmax:g})</translation>
        </message>
        <message>
            <source>critical_max ({cmax:g}) must be above warning_min ({wmin:g})</source>
            <translation>critical_max ({cmax:g}) moet hoger zijn dan warning_min ({wmin:g})</translation>
        </message>
        <message>
            <source>calibration multiplier must not be 0</source>
            <translation>de kalibratiefactor mag niet 0 zijn</translation>
        </message>
        <message>
            <source>{name} must be a finite number</source>
            <translation>{name} moet een eindig getal zijn</translation>
        </message>
        <message>
            <source>calibration {name} must be a finite number</source>
            <translation>kalibratie {name} moet een eindig getal zijn</translation>
        </message>
        <message>
            <source>no e-stop is latched on mill {mill}</source>
            <translation>er is geen noodstop vergrendeld op molen {mill}</translation>
        </message>
        <message>
            <source>no e-stop is latched on mill {mill}: it has been reset</source>
            <translation>er is geen noodstop vergrendeld op molen {mill}: die is al gereset</translation>
        </message>
        <message>
            <source>the stop of mill {mill} is not confirmed yet</source>
            <translation>de stop van molen {mill} is nog niet bevestigd</translation>
        </message>
        <message>
            <source>the stop of mill {mill} was never confirmed by its controller: check the mill locally</source>
            <translation>de stop van molen {mill} is nooit door de besturing bevestigd: controleer de molen ter plaatse</translation>
        </message>
        <message>
            <source>mill {mill} is still running (coasting down): reset is possible once its controller reports it stopped</source>
            <translation>molen {mill} draait nog (loopt uit): resetten kan zodra de besturing meldt dat de molen stilstaat</translation>
        </message>
        <message>
            <source>mill {mill} is still running after its coast-down time: stop it locally; reset is possible once its controller reports it stopped</source>
            <translation>molen {mill} draait nog na de uitlooptijd: stop de molen ter plaatse; resetten kan zodra de besturing meldt dat de molen stilstaat</translation>
        </message>
        <message>
            <source>a reset of mill {mill} is already in progress</source>
            <translation>een reset van molen {mill} is al bezig</translation>
        </message>
        <message>
            <source>mill {mill} has no stop being retried</source>
            <translation>voor molen {mill} wordt geen stop herhaald</translation>
        </message>
        <message>
            <source>no e-stop path is configured for mill {mill}: use the hardwired e-stop / local stop</source>
            <translation>voor molen {mill} is geen noodstopverbinding ingesteld: gebruik de bedrade noodstop / lokale stop</translation>
        </message>
        <message>
            <source>password must be at least {n} characters</source>
            <translation>het wachtwoord moet minstens {n} tekens lang zijn</translation>
        </message>
        <message>
            <source>password must not contain the username</source>
            <translation>het wachtwoord mag de gebruikersnaam niet bevatten</translation>
        </message>
        <message>
            <source>password must not start or end with spaces</source>
            <translation>het wachtwoord mag niet met spaties beginnen of eindigen</translation>
        </message>
        <message>
            <source>view the plant</source>
            <translation>de installatie bekijken</translation>
        </message>
        <message>
            <source>acknowledge alarms</source>
            <translation>alarmen bevestigen</translation>
        </message>
        <message>
            <source>shelve alarms</source>
            <translation>alarmen parkeren</translation>
        </message>
        <message>
            <source>start production</source>
            <translation>productie starten</translation>
        </message>
        <message>
            <source>trigger the e-stop</source>
            <translation>de noodstop activeren</translation>
        </message>
        <message>
            <source>reset the e-stop</source>
            <translation>de noodstop resetten</translation>
        </message>
        <message>
            <source>edit thresholds</source>
            <translation>grenswaarden bewerken</translation>
        </message>
        <message>
            <source>edit calibration</source>
            <translation>kalibratie bewerken</translation>
        </message>
        <message>
            <source>edit sensors</source>
            <translation>sensoren bewerken</translation>
        </message>
        <message>
            <source>edit mills</source>
            <translation>molens bewerken</translation>
        </message>
        <message>
            <source>manage users</source>
            <translation>gebruikers beheren</translation>
        </message>
        <message>
            <source>change settings</source>
            <translation>instellingen wijzigen</translation>
        </message>
        <message>
            <source>export data</source>
            <translation>gegevens exporteren</translation>
        </message>
        <message>
            <source>admin</source>
            <translation>beheerder</translation>
        </message>
        <message>
            <source>operator</source>
            <translation>operator</translation>
        </message>
        <message>
            <source>technician</source>
            <translation>technicus</translation>
        </message>
        <message>
            <source>viewer</source>
            <translation>kijker</translation>
        </message>
        <message>
            <source>allowed: {role} {user} may {action} on mill {mill}</source>
            <translation>toegestaan: {role} {user} mag dit op molen {mill}: {action}</translation>
        </message>
        <message>
            <source>{user}'s account is deactivated</source>
            <translation>het account van {user} is gedeactiveerd</translation>
        </message>
        <message>
            <source>{role} {user} may not {action}</source>
            <translation>{role} {user} mag dit niet: {action}</translation>
        </message>
        <message>
            <source>allowed: {role} {user} may {action}</source>
            <translation>toegestaan: {role} {user} mag dit: {action}</translation>
        </message>
        <message>
            <source>{user} may {action} only on their own mills; choose a mill</source>
            <translation>{user} mag dit alleen op de eigen molens: {action}; kies een molen</translation>
        </message>
        <message>
            <source>{user} has no access to mill {mill}</source>
            <translation>{user} heeft geen toegang tot molen {mill}</translation>
        </message>
        <message>
            <source>mill {mill}</source>
            <translation>molen {mill}</translation>
        </message>
        <message>
            <source>{mill} / sensor {sensor}</source>
            <translation>{mill} / sensor {sensor}</translation>
        </message>
        <message>
            <source>{mill} sensors[{index}]</source>
            <translation>{mill} sensors[{index}]</translation>
        </message>
        <message>
            <source>{n} problem(s) in plant file; first: {first}</source>
            <translation>{n} probleem(en) in het installatiebestand; het eerste: {first}</translation>
        </message>
        <message>
            <source>must be a number, got {value!r}</source>
            <translation>moet een getal zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must be a finite number</source>
            <translation>moet een eindig getal zijn</translation>
        </message>
        <message>
            <source>must be above 0, got {value!r}</source>
            <translation>moet groter dan 0 zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must be text, got {value!r}</source>
            <translation>moet tekst zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must not be empty</source>
            <translation>mag niet leeg zijn</translation>
        </message>
        <message>
            <source>plant</source>
            <translation>installatie</translation>
        </message>
        <message>
            <source>must be {version}, got {value!r}</source>
            <translation>moet {version} zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must be an array of tables ({table})</source>
            <translation>moet een lijst van tabellen zijn ({table})</translation>
        </message>
        <message>
            <source>lowercase letters, digits, '-' and '_' only (max 64)</source>
            <translation>alleen kleine letters, cijfers, '-' en '_' (max. 64)</translation>
        </message>
        <message>
            <source>duplicate mill slug</source>
            <translation>dubbele molencode</translation>
        </message>
        <message>
            <source>duplicate mill name {name!r}</source>
            <translation>dubbele molennaam {name!r}</translation>
        </message>
        <message>
            <source>must not be negative</source>
            <translation>mag niet negatief zijn</translation>
        </message>
        <message>
            <source>must be within -90..90</source>
            <translation>moet binnen -90..90 liggen</translation>
        </message>
        <message>
            <source>must be within -180..180</source>
            <translation>moet binnen -180..180 liggen</translation>
        </message>
        <message>
            <source>duplicate sensor name in this mill</source>
            <translation>dubbele sensornaam in deze molen</translation>
        </message>
        <message>
            <source>must be a table {table}</source>
            <translation>moet een tabel {table} zijn</translation>
        </message>
        <message>
            <source>is required</source>
            <translation>is verplicht</translation>
        </message>
        <message>
            <source>must be one of {values}, got {value!r}</source>
            <translation>moet een van de volgende zijn: {values}; ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>EUI {eui} already used by {where}</source>
            <translation>EUI {eui} is al in gebruik bij {where}</translation>
        </message>
        <message>
            <source>{where}: {field}: {message}</source>
            <translation>{where}: {field}: {message}</translation>
        </message>
        <message>
            <source>must be &gt; 0 and &lt;= {max:g} seconds, got {value:g}</source>
            <translation>moet &gt; 0 en &lt;= {max:g} seconden zijn, ontvangen: {value:g}</translation>
        </message>
        <message>
            <source>must be a modbus:// URL of a coil</source>
            <translation>moet een modbus://-URL van een coil zijn</translation>
        </message>
        <message>
            <source>{key} must be a finite number, got {value!r}</source>
            <translation>{key} moet een eindig getal zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>sensor must be a 16-hex-digit EUI, got {value!r}</source>
            <translation>sensor moet een EUI van 16 hexadecimale cijfers zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>kinds must not be empty</source>
            <translation>kinds mag niet leeg zijn</translation>
        </message>
        <message>
            <source>must be a table ({table})</source>
            <translation>moet een tabel zijn ({table})</translation>
        </message>
        <message>
            <source>id must be an SVG id (letters, digits, _ . -), got {value!r}</source>
            <translation>id moet een SVG-id zijn (letters, cijfers, _ . -), ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>unknown key {key!r}</source>
            <translation>onbekende sleutel {key!r}</translation>
        </message>
        <message>
            <source>max must be above min</source>
            <translation>max moet groter zijn dan min</translation>
        </message>
        <message>
            <source>unknown symbol {symbol!r}; known: {known}</source>
            <translation>onbekend symbool {symbol!r}; bekend: {known}</translation>
        </message>
        <message>
            <source>sensors must be a table {table}</source>
            <translation>sensors moet een tabel {table} zijn</translation>
        </message>
        <message>
            <source>must be a mill slug, got {value!r}</source>
            <translation>moet een molencode zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must be a whole number, got {value!r}</source>
            <translation>moet een geheel getal zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>must be an .svg file name beside the binding file, got {value!r}</source>
            <translation>moet de naam van een .svg-bestand naast het koppelingsbestand zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>unknown mill {mill!r}</source>
            <translation>onbekende molen {mill!r}</translation>
        </message>
        <message>
            <source>sensors (per slot) needs a symbol; use sensor = "EUI" for a single binding</source>
            <translation>sensors (per aansluitpunt) vereist een symbool; gebruik sensor = "EUI" voor een enkele koppeling</translation>
        </message>
        <message>
            <source>symbol {symbol} has no slot {slot!r}; slots: {slots}</source>
            <translation>symbool {symbol} heeft geen aansluitpunt {slot!r}; aansluitpunten: {slots}</translation>
        </message>
        <message>
            <source>must be overview or detail, got {value!r}</source>
            <translation>moet overview of detail zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>bound twice (duplicate id); the first binding is used</source>
            <translation>twee keer gekoppeld (dubbele id); de eerste koppeling wordt gebruikt</translation>
        </message>
        <message>
            <source>needs an id (an SVG id) and a target (a schematic name)</source>
            <translation>vereist een id (een SVG-id) en een doel (de naam van een schema)</translation>
        </message>
        <message>
            <source>target must be a schematic name, got {value!r}</source>
            <translation>het doel moet de naam van een schema zijn, ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>no element with this id in the SVG</source>
            <translation>geen element met deze id in de SVG</translation>
        </message>
        <message>
            <source>no schematic named {name!r}</source>
            <translation>geen schema met de naam {name!r}</translation>
        </message>
        <message>
            <source>kind must be one of {values}, got {value!r}</source>
            <translation>kind moet een van de volgende zijn: {values}; ontvangen: {value!r}</translation>
        </message>
        <message>
            <source>unknown sensor {eui}</source>
            <translation>onbekende sensor {eui}</translation>
        </message>
        <message>
            <source>sensor {eui} ({name}) belongs to mill {owner}, not {mill}</source>
            <translation>sensor {eui} ({name}) hoort bij molen {owner}, niet bij {mill}</translation>
        </message>
        <message>
            <source>level bar on a {type} sensor ({name}); check min/max</source>
            <translation>niveaubalk op een sensor van het type {type} ({name}); controleer min/max</translation>
        </message>
        <message>
            <source>slot {slot} expects {types}, got {type} ({name})</source>
            <translation>aansluitpunt {slot} verwacht {types}, ontvangen: {type} ({name})</translation>
        </message>
        <message>
            <source>the file is empty</source>
            <translation>het bestand is leeg</translation>
        </message>
        <message>
            <source>the file is larger than {mb} MB</source>
            <translation>het bestand is groter dan {mb} MB</translation>
        </message>
        <message>
            <source>entity declarations are not allowed in schematics</source>
            <translation>entiteitdeclaraties zijn in schema's niet toegestaan</translation>
        </message>
        <message>
            <source>the root element is &lt;{tag}&gt;, not &lt;svg&gt;</source>
            <translation>het hoofdelement is &lt;{tag}&gt;, niet &lt;svg&gt;</translation>
        </message>
        <message>
            <source>not well-formed XML ({error})</source>
            <translation>geen geldige XML ({error})</translation>
        </message>
        <message>
            <source>{url!r}: unknown source scheme {scheme!r} (mqtt, modbus, modbus+rtu, sim)</source>
            <translation>{url!r}: onbekend bronschema {scheme!r} (mqtt, modbus, modbus+rtu, sim)</translation>
        </message>
        <message>
            <source>{url!r}: expected .../TABLE/ADDRESS with TABLE one of {tables}</source>
            <translation>{url!r}: verwacht .../TABLE/ADDRESS met TABLE een van {tables}</translation>
        </message>
        <message>
            <source>{url!r}: register table {table!r} not one of {tables}</source>
            <translation>{url!r}: registertabel {table!r} is niet een van {tables}</translation>
        </message>
        <message>
            <source>{url!r}: address {address} outside 0..65535</source>
            <translation>{url!r}: adres {address} buiten 0..65535</translation>
        </message>
        <message>
            <source>{url!r}: unit {unit} outside 0..247</source>
            <translation>{url!r}: unit {unit} buiten 0..247</translation>
        </message>
        <message>
            <source>{url!r}: type {type!r} not one of {types}</source>
            <translation>{url!r}: type {type!r} is niet een van {types}</translation>
        </message>
        <message>
            <source>{url!r}: coils and discrete inputs are bool</source>
            <translation>{url!r}: coils en discrete ingangen zijn van het type bool</translation>
        </message>
        <message>
            <source>{url!r}: order {order!r} not one of {orders}</source>
            <translation>{url!r}: volgorde {order!r} is niet een van {orders}</translation>
        </message>
        <message>
            <source>{url!r}: parity must be N, E or O</source>
            <translation>{url!r}: pariteit moet N, E of O zijn</translation>
        </message>
        <message>
            <source>empty source URL</source>
            <translation>lege bron-URL</translation>
        </message>
        <message>
            <source>{url!r}: MQTT source has no topic</source>
            <translation>{url!r}: MQTT-bron heeft geen topic</translation>
        </message>
        <message>
            <source>{url!r}: a sensor topic may not contain wildcards</source>
            <translation>{url!r}: een sensortopic mag geen jokertekens bevatten</translation>
        </message>
        <message>
            <source>{url!r}: Modbus source has no host</source>
            <translation>{url!r}: Modbus-bron heeft geen host</translation>
        </message>
        <message>
            <source>{url!r}: address, unit, scale, offset must be numbers</source>
            <translation>{url!r}: address, unit, scale en offset moeten getallen zijn</translation>
        </message>
        <message>
            <source>{url!r}: expected modbus+rtu://PORT/TABLE/ADDRESS</source>
            <translation>{url!r}: verwacht modbus+rtu://PORT/TABLE/ADDRESS</translation>
        </message>
        <message>
            <source>{url!r}: bad port</source>
            <translation>{url!r}: ongeldige poort</translation>
        </message>
        <message>
            <source>{url!r}: sim parameter {name} must be a number</source>
            <translation>{url!r}: simulatieparameter {name} moet een getal zijn</translation>
        </message>
        <message>
            <source>{alarm} keeps changing; try again</source>
            <translation>{alarm} verandert steeds; probeer het opnieuw</translation>
        </message>
        <message>
            <source>no alarm {alarm}</source>
            <translation>geen alarm {alarm}</translation>
        </message>
        <message>
            <source>no permission service to check the session against</source>
            <translation>geen rechtenservice om de sessie aan te toetsen</translation>
        </message>
        <message>
            <source>wrong username or password</source>
            <translation>onjuiste gebruikersnaam of onjuist wachtwoord</translation>
        </message>
        <message>
            <source>wait {seconds} s before trying again</source>
            <translation>wacht {seconds} s voordat u het opnieuw probeert</translation>
        </message>
        <message>
            <source>password change required before continuing</source>
            <translation>wijzig eerst uw wachtwoord om verder te gaan</translation>
        </message>
        <message>
            <source>signed in</source>
            <translation>aangemeld</translation>
        </message>
        <message>
            <source>confirmed</source>
            <translation>bevestigd</translation>
        </message>
        <message>
            <source>password changed</source>
            <translation>wachtwoord gewijzigd</translation>
        </message>
        <message>
            <source>account locked after {n} failed attempts: try again in {minutes} min or ask an administrator to unlock it</source>
            <translation>account geblokkeerd na {n} mislukte pogingen: probeer het over {minutes} min opnieuw of vraag een beheerder het te deblokkeren</translation>
        </message>
        <message>
            <source>signed out: sign in again</source>
            <translation>afgemeld: meld u opnieuw aan</translation>
        </message>
        <message>
            <source>the new password must differ from the current one</source>
            <translation>het nieuwe wachtwoord moet verschillen van het huidige</translation>
        </message>
        <message>
            <source>{user} is signed out: sign in again</source>
            <translation>{user} is afgemeld: meld u opnieuw aan</translation>
        </message>
        <message>
            <source>user {user} no longer exists</source>
            <translation>gebruiker {user} bestaat niet meer</translation>
        </message>
        <message>
            <source>the screen is locked: unlock it first</source>
            <translation>het scherm is vergrendeld: ontgrendel het eerst</translation>
        </message>
        <message>
            <source>{user} must change the temporary password first</source>
            <translation>{user} moet eerst het tijdelijke wachtwoord wijzigen</translation>
        </message>
        <message>
            <source>to {action}, {user} must enter the password again</source>
            <translation>{user} moet het wachtwoord opnieuw invoeren voor: {action}</translation>
        </message>
        <message>
            <source>this account is deactivated: ask an administrator</source>
            <translation>dit account is gedeactiveerd: vraag het een beheerder</translation>
        </message>
        <message>
            <source>the account changed meanwhile: try again</source>
            <translation>het account is intussen gewijzigd: probeer het opnieuw</translation>
        </message>
        <message>
            <source>Mill must be in active status to start production</source>
            <translation>De molen moet de status actief hebben om de productie te starten</translation>
        </message>
        <message>
            <source>the broker is not connected</source>
            <translation>de broker is niet verbonden</translation>
        </message>
        <message>
            <source>sensor config</source>
            <translation>sensorconfiguratie</translation>
        </message>
        <message>
            <source>password required: {reason}</source>
            <translation>wachtwoord vereist: {reason}</translation>
        </message>
        <message>
            <source>link stopped</source>
            <translation>verbinding gestopt</translation>
        </message>
        <message>
            <source>the broker is not connected ({detail})</source>
            <translation>de broker is niet verbonden ({detail})</translation>
        </message>
        <message>
            <source>connection to the broker lost before its PUBACK</source>
            <translation>verbinding met de broker verbroken vóór de PUBACK</translation>
        </message>
        <message>
            <source>broker refused the message: {reason}</source>
            <translation>de broker heeft het bericht geweigerd: {reason}</translation>
        </message>
        <message>
            <source>unknown sensor {eui!r}</source>
            <translation>onbekende sensor {eui!r}</translation>
        </message>
        <message>
            <source>the database is unreachable: permissions cannot be checked, nothing was sent</source>
            <translation>de database is onbereikbaar: de rechten kunnen niet worden gecontroleerd, er is niets verzonden</translation>
        </message>
        <message>
            <source>publish failed: {error}</source>
            <translation>publiceren mislukt: {error}</translation>
        </message>
        <message>
            <source>the broker is not connected: {command} was not sent and will not be sent later</source>
            <translation>de broker is niet verbonden: de opdracht “{command}” is niet verzonden en wordt ook later niet verzonden</translation>
        </message>
        <message>
            <source>no PUBACK from the broker within {seconds:g} s</source>
            <translation>geen PUBACK van de broker binnen {seconds:g} s</translation>
        </message>
        <message>
            <source>the database is unreachable: the mill's status cannot be checked, nothing was sent</source>
            <translation>de database is onbereikbaar: de status van de molen kan niet worden gecontroleerd, er is niets verzonden</translation>
        </message>
        <message>
            <source>the database is unreachable: the calibration was not applied</source>
            <translation>de database is onbereikbaar: de kalibratie is niet toegepast</translation>
        </message>
        <message>
            <source>refused by the controller: {reason}</source>
            <translation>geweigerd door de besturing: {reason}</translation>
        </message>
        <message>
            <source>sensor {eui} is not in the database</source>
            <translation>sensor {eui} staat niet in de database</translation>
        </message>
        <message>
            <source>the calibration changed meanwhile: propose it again</source>
            <translation>de kalibratie is intussen gewijzigd: stel haar opnieuw voor</translation>
        </message>
        <message>
            <source>{error}: {command} not confirmed sent</source>
            <translation>{error}: verzending van de opdracht “{command}” niet bevestigd</translation>
        </message>
        <message>
            <source>no answer from the controller within {seconds:g} s</source>
            <translation>geen antwoord van de besturing binnen {seconds:g} s</translation>
        </message>
        <message>
            <source>a reason is required to reset the e-stop</source>
            <translation>voor het resetten van de noodstop is een reden vereist</translation>
        </message>
        <message>
            <source>password required: enter your password again to reset the e-stop</source>
            <translation>wachtwoord vereist: voer uw wachtwoord opnieuw in om de noodstop te resetten</translation>
        </message>
        <message>
            <source>no path to the controller: the broker is not connected and no Modbus reset is configured</source>
            <translation>geen verbinding met de besturing: de broker is niet verbonden en er is geen Modbus-reset ingesteld</translation>
        </message>
        <message>
            <source>no such file</source>
            <translation>bestand bestaat niet</translation>
        </message>
        <message>
            <source>cannot read: {error}</source>
            <translation>kan niet worden gelezen: {error}</translation>
        </message>
        <message>
            <source>the range ends before it starts</source>
            <translation>het bereik eindigt voordat het begint</translation>
        </message>
        <message>
            <source>no sensor with EUI {eui}</source>
            <translation>geen sensor met EUI {eui}</translation>
        </message>
        <message>
            <source>{n} of {count} registers</source>
            <translation>{n} van {count} registers</translation>
        </message>
        <message>
            <source>{url!r} does not parse back to the picked register</source>
            <translation>{url!r} leidt niet terug naar het gekozen register</translation>
        </message>
        <message>
            <source>table {table!r} not one of {tables}</source>
            <translation>tabel {table!r} is niet een van {tables}</translation>
        </message>
        <message>
            <source>unit {unit} outside 0..247</source>
            <translation>unit {unit} buiten 0..247</translation>
        </message>
        <message>
            <source>count {count} outside 1..{max}</source>
            <translation>aantal {count} buiten 1..{max}</translation>
        </message>
        <message>
            <source>{first}..{last} outside 0..65535</source>
            <translation>{first}..{last} buiten 0..65535</translation>
        </message>
        <message>
            <source>timeout {timeout} outside 0..10 s</source>
            <translation>time-out {timeout} buiten 0..10 s</translation>
        </message>
        <message>
            <source>no host or serial port</source>
            <translation>geen host of seriële poort</translation>
        </message>
        <message>
            <source>port {port} outside 1..65535</source>
            <translation>poort {port} buiten 1..65535</translation>
        </message>
        <message>
            <source>{n} of {count} bits</source>
            <translation>{n} van {count} bits</translation>
        </message>
        <message>
            <source>raw readings</source>
            <translation>ruwe metingen</translation>
        </message>
        <message>
            <source>per-minute rollups</source>
            <translation>minuutaggregaten</translation>
        </message>
        <message>
            <source>per-hour rollups</source>
            <translation>uuraggregaten</translation>
        </message>
        <message>
            <source>per-minute rollups must be kept at least as long as raw readings</source>
            <translation>minuutaggregaten moeten minstens even lang bewaard blijven als ruwe metingen</translation>
        </message>
        <message>
            <source>per-hour rollups must be kept at least as long as per-minute rollups</source>
            <translation>uuraggregaten moeten minstens even lang bewaard blijven als minuutaggregaten</translation>
        </message>
        <message>
            <source>{what}: keep them from 1 to {max:g} days, or forever</source>
            <translation>{what}: bewaar ze 1 tot {max:g} dagen, of onbeperkt</translation>
        </message>
        <message>
            <source>used by several elements in the SVG; bindings to it are ambiguous</source>
            <translation>gebruikt door meerdere elementen in de SVG; koppelingen ernaar zijn dubbelzinnig</translation>
        </message>
        <message>
            <source>missing drawing {file} in {folder}</source>
            <translation>tekening {file} ontbreekt in {folder}</translation>
        </message>
        <message>
            <source>no such folder</source>
            <translation>map bestaat niet</translation>
        </message>
        <message>
            <source>not valid TOML ({error}); no sensors bound</source>
            <translation>geen geldige TOML ({error}); geen sensoren gekoppeld</translation>
        </message>
        <message>
            <source>cannot read {file}: {error}</source>
            <translation>kan {file} niet lezen: {error}</translation>
        </message>
        <message>
            <source>{file} is not a usable SVG: {problem}</source>
            <translation>{file} is geen bruikbare SVG: {problem}</translation>
        </message>
        <message>
            <source>reading {file}</source>
            <translation>{file} wordt gelezen</translation>
        </message>
        <message>
            <source>valid: {mills} mill(s), {sensors} sensor(s)</source>
            <translation>geldig: {mills} molen(s), {sensors} sensor(en)</translation>
        </message>
        <message>
            <source>applying to the database</source>
            <translation>wordt in de database verwerkt</translation>
        </message>
        <message>
            <source>recording the change</source>
            <translation>de wijziging wordt vastgelegd</translation>
        </message>
        <message>
            <source>the slug identifies the mill (topics, history) and cannot change</source>
            <translation>de code identificeert de molen (topics, historie) en kan niet worden gewijzigd</translation>
        </message>
        <message>
            <source>{created} created, {updated} updated, {unchanged} unchanged</source>
            <translation>{created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd</translation>
        </message>
        <message>
            <source>{created} created, {updated} updated, {unchanged} unchanged, {schematics} schematic(s)</source>
            <translation>{created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd, {schematics} schema('s)</translation>
        </message>
        <message>
            <source>no such mill</source>
            <translation>molen bestaat niet</translation>
        </message>
        <message>
            <source>sensor {eui} is not in mill {mill}</source>
            <translation>sensor {eui} hoort niet bij molen {mill}</translation>
        </message>
        <message>
            <source>the EUI identifies the sensor and its history and cannot change: create a new sensor instead</source>
            <translation>de EUI identificeert de sensor en zijn historie en kan niet worden gewijzigd: maak in plaats daarvan een nieuwe sensor aan</translation>
        </message>
        <message>
            <source>mill {mill} no longer exists</source>
            <translation>molen {mill} bestaat niet meer</translation>
        </message>
        <message>
            <source>sensor {sensor} was changed on another console: reload and try again</source>
            <translation>sensor {sensor} is op een andere console gewijzigd: laad opnieuw en probeer het nog eens</translation>
        </message>
        <message>
            <source>no such mill (deleted meanwhile?)</source>
            <translation>molen bestaat niet (intussen verwijderd?)</translation>
        </message>
        <message>
            <source>say why the calibration changes (kept with the calibration record)</source>
            <translation>geef aan waarom de kalibratie wijzigt (wordt bij het kalibratierecord bewaard)</translation>
        </message>
        <message>
            <source>schematics</source>
            <translation>schema's</translation>
        </message>
        <message>
            <source>the topic filter is empty</source>
            <translation>het topicfilter is leeg</translation>
        </message>
        <message>
            <source>topic {topic!r} cannot be a sensor topic (wildcards, '?', spaces, or '/' at either end)</source>
            <translation>topic {topic!r} kan geen sensortopic zijn (jokertekens, '?', spaties of '/' aan het begin of einde)</translation>
        </message>
        <message>
            <source>{url!r} does not describe topic {topic!r} unambiguously</source>
            <translation>{url!r} beschrijft topic {topic!r} niet eenduidig</translation>
        </message>
        <message>
            <source>refused: {reason}</source>
            <translation>geweigerd: {reason}</translation>
        </message>
        <message>
            <source>{filter!r}: '#' must be a whole level at the end</source>
            <translation>{filter!r}: '#' moet een volledig niveau aan het einde zijn</translation>
        </message>
        <message>
            <source>{filter!r}: '+' must be a whole level</source>
            <translation>{filter!r}: '+' moet een volledig niveau zijn</translation>
        </message>
        <message>
            <source>a trend view definition must be a JSON object</source>
            <translation>de definitie van een trendweergave moet een JSON-object zijn</translation>
        </message>
        <message>
            <source>mode must be one of {values}</source>
            <translation>mode moet een van de volgende zijn: {values}</translation>
        </message>
        <message>
            <source>layout must be one of {values}</source>
            <translation>layout moet een van de volgende zijn: {values}</translation>
        </message>
        <message>
            <source>the live window must be a positive number of seconds</source>
            <translation>het live-venster moet een positief aantal seconden zijn</translation>
        </message>
        <message>
            <source>unknown range preset {preset!r}</source>
            <translation>onbekende bereikinstelling {preset!r}</translation>
        </message>
        <message>
            <source>a custom range needs t0 &lt; t1</source>
            <translation>een eigen bereik vereist t0 &lt; t1</translation>
        </message>
        <message>
            <source>sign in to save trend views</source>
            <translation>meld u aan om trendweergaven op te slaan</translation>
        </message>
        <message>
            <source>a trend view needs a name</source>
            <translation>een trendweergave heeft een naam nodig</translation>
        </message>
        <message>
            <source>a trend view name has at most {n} characters</source>
            <translation>de naam van een trendweergave heeft hoogstens {n} tekens</translation>
        </message>
        <message>
            <source>no trend view {id}</source>
            <translation>geen trendweergave {id}</translation>
        </message>
        <message>
            <source>{user} may not change {owner}'s trend view {name!r}</source>
            <translation>{user} mag de trendweergave {name!r} van {owner} niet wijzigen</translation>
        </message>
        <message>
            <source>a pen needs an eui</source>
            <translation>een pen heeft een EUI nodig</translation>
        </message>
        <message>
            <source>not a #rrggbb colour: {colour!r}</source>
            <translation>geen #rrggbb-kleur: {colour!r}</translation>
        </message>
        <message>
            <source>nobody</source>
            <translation>niemand</translation>
        </message>
        <message>
            <source>username: 2-64 chars, lowercase letters, digits, '.', '_', '-'</source>
            <translation>gebruikersnaam: 2-64 tekens, kleine letters, cijfers, '.', '_', '-'</translation>
        </message>
        <message>
            <source>user {name!r} already exists</source>
            <translation>gebruiker {name!r} bestaat al</translation>
        </message>
        <message>
            <source>no user {name!r}</source>
            <translation>geen gebruiker {name!r}</translation>
        </message>
        <message>
            <source>{what}: {user} is the last active admin</source>
            <translation>{what}: {user} is de laatste actieve beheerder</translation>
        </message>
        <message>
            <source>cannot demote {user}</source>
            <translation>{user} kan geen lagere rol krijgen</translation>
        </message>
        <message>
            <source>cannot deactivate {user}</source>
            <translation>{user} kan niet worden gedeactiveerd</translation>
        </message>
        <message>
            <source>unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://...</source>
            <translation>niet-ondersteunde database {backend!r}: gebruik sqlite:///PATH of postgresql+psycopg://...</translation>
        </message>
        <message>
            <source>not a database URL: {url!r}</source>
            <translation>geen database-URL: {url!r}</translation>
        </message>
        <message>
            <source>{n} conflict(s) with the database; first: {first}</source>
            <translation>{n} conflict(en) met de database; het eerste: {first}</translation>
        </message>
        <message>
            <source>name {name!r} is used by mill {owner!r}</source>
            <translation>naam {name!r} is in gebruik bij molen {owner!r}</translation>
        </message>
        <message>
            <source>name is used by sensor {owner}</source>
            <translation>naam is in gebruik bij sensor {owner}</translation>
        </message>
        <message>
            <source>no usable keyring backend ({backend}): set {variable} instead</source>
            <translation>geen bruikbare sleutelkluis ({backend}): stel in plaats daarvan {variable} in</translation>
        </message>
        <message>
            <source>the secret</source>
            <translation>het geheim</translation>
        </message>
        <message>
            <source>no mill {mill!r}</source>
            <translation>geen molen {mill!r}</translation>
        </message>
    </context>
</TS>
