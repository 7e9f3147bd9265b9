<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>AdminPage</name>
        <message>
            <source>Administrator</source>
            <translation>Beheerder</translation>
        </message>
        <message>
            <source>The first account, which creates the others. Its password follows the password policy.</source>
            <translation>Het eerste account, waarmee u de andere aanmaakt. Het wachtwoord volgt het wachtwoordbeleid.</translation>
        </message>
        <message>
            <source>Create another administrator</source>
            <translation>Nog een beheerder aanmaken</translation>
        </message>
        <message>
            <source>at least {n} characters</source>
            <translation>minstens {n} tekens</translation>
        </message>
        <message>
            <source>the same password again</source>
            <translation>hetzelfde wachtwoord nogmaals</translation>
        </message>
        <message>
            <source>User name:</source>
            <translation>Gebruikersnaam:</translation>
        </message>
        <message>
            <source>Full name:</source>
            <translation>Volledige naam:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Wachtwoord:</translation>
        </message>
        <message>
            <source>Repeat:</source>
            <translation>Herhalen:</translation>
        </message>
        <message>
            <source>This database already has an administrator ({names}): you may skip this step.</source>
            <translation>Deze database heeft al een beheerder ({names}): u kunt deze stap overslaan.</translation>
        </message>
        <message>
            <source>user name: 2-64 characters: lowercase letters, digits, '.', '_', '-', starting with a letter</source>
            <translation>gebruikersnaam: 2-64 tekens: kleine letters, cijfers, '.', '_', '-', beginnend met een letter</translation>
        </message>
        <message>
            <source>user {name} already exists in this database</source>
            <translation>gebruiker {name} bestaat al in deze database</translation>
        </message>
        <message>
            <source>the two passwords differ</source>
            <translation>de twee wachtwoorden verschillen</translation>
        </message>
        <message>
            <source>No new administrator will be created.</source>
            <translation>Er wordt geen nieuwe beheerder aangemaakt.</translation>
        </message>
        <message>
            <source>Choose a password of at least {n} characters.</source>
            <translation>Kies een wachtwoord van minstens {n} tekens.</translation>
        </message>
        <message>
            <source>the password meets the policy</source>
            <translation>het wachtwoord voldoet aan het beleid</translation>
        </message>
    </context>
    <context>
        <name>ApplyPage</name>
        <message>
            <source>Applying</source>
            <translation>Toepassen</translation>
        </message>
        <message>
            <source>Passwords to the keyring, the database schema, the administrator, the plant, the settings.</source>
            <translation>Wachtwoorden naar de sleutelkluis, het databaseschema, de beheerder, de installatie, de instellingen.</translation>
        </message>
        <message>
            <source>Back to the settings</source>
            <translation>Terug naar de instellingen</translation>
        </message>
        <message>
            <source>Applying...</source>
            <translation>Bezig met toepassen...</translation>
        </message>
        <message>
            <source>Millwatch is set up. Finish starts it.</source>
            <translation>Millwatch is ingesteld. Met Voltooien start u het programma.</translation>
        </message>
        <message>
            <source>Millwatch is set up. The new settings take effect at the next start.</source>
            <translation>Millwatch is ingesteld. De nieuwe instellingen gelden vanaf de volgende start.</translation>
        </message>
        <message>
            <source>{error}. Go back to change the settings, then apply again.</source>
            <translation>{error}. Ga terug om de instellingen te wijzigen en pas ze daarna opnieuw toe.</translation>
        </message>
    </context>
    <context>
        <name>BrokerPage</name>
        <message>
            <source>MQTT broker</source>
            <translation>MQTT-broker</translation>
        </message>
        <message>
            <source>Where the mills publish their readings. Leave it empty if they are all read over Modbus.</source>
            <translation>Waar de molens hun meetwaarden publiceren. Laat dit leeg als ze allemaal via Modbus worden uitgelezen.</translation>
        </message>
        <message>
            <source>mqtt://user@broker.example:1883   or   mqtts://user@broker.example:8883?ca=CA.pem</source>
            <translation>mqtt://user@broker.example:1883   of   mqtts://user@broker.example:8883?ca=CA.pem</translation>
        </message>
        <message>
            <source>password (kept in the OS keyring, not in a file)</source>
            <translation>wachtwoord (in de sleutelkluis van het systeem, niet in een bestand)</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>Verbinding testen</translation>
        </message>
        <message>
            <source>Broker URL:</source>
            <translation>Broker-URL:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Wachtwoord:</translation>
        </message>
        <message>
            <source>No broker: live values come only from Modbus devices.</source>
            <translation>Geen broker: actuele waarden komen alleen van Modbus-apparaten.</translation>
        </message>
        <message>
            <source>Not tested yet: test the connection to go on.</source>
            <translation>Nog niet getest: test de verbinding om verder te gaan.</translation>
        </message>
        <message>
            <source>Connecting to {url}...</source>
            <translation>Verbinden met {url}...</translation>
        </message>
    </context>
    <context>
        <name>ConfigCalls</name>
        <message>
            <source>{problem} (and {n} more)</source>
            <translation>{problem} (en nog {n})</translation>
        </message>
        <message>
            <source>The call failed.</source>
            <translation>De opdracht is mislukt.</translation>
        </message>
    </context>
    <context>
        <name>ConfigConnection</name>
        <message>
            <source>no broker URL: live values need a broker</source>
            <translation>geen broker-URL: actuele waarden vereisen een broker</translation>
        </message>
        <message>
            <source>a broker password needs a user name</source>
            <translation>een brokerwachtwoord vereist een gebruikersnaam</translation>
        </message>
        <message>
            <source>a database password needs a user name in the database URL</source>
            <translation>een databasewachtwoord vereist een gebruikersnaam in de database-URL</translation>
        </message>
    </context>
    <context>
        <name>ConfigScreen</name>
        <message>
            <source>Mills and sensors</source>
            <translation>Molens en sensoren</translation>
        </message>
        <message>
            <source>Plant file</source>
            <translation>Installatiebestand</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>Verbindingen</translation>
        </message>
    </context>
    <context>
        <name>ConnectionPanel</name>
        <message>
            <source>Connections of this workstation</source>
            <translation>Verbindingen van deze werkplek</translation>
        </message>
        <message>
            <source>Passwords go to the operating system's keyring, never to a file. Changes take effect the next time Millwatch starts.</source>
            <translation>Wachtwoorden gaan naar de sleutelkluis van het besturingssysteem, nooit naar een bestand. Wijzigingen gelden vanaf de volgende start van Millwatch.</translation>
        </message>
        <message>
            <source>mqtt://broker.plant.local:1883  (mqtts:// for TLS)</source>
            <translation>mqtt://broker.plant.local:1883  (mqtts:// voor TLS)</translation>
        </message>
        <message>
            <source>optional</source>
            <translation>optioneel</translation>
        </message>
        <message>
            <source>unchanged (kept in the keyring)</source>
            <translation>ongewijzigd (bewaard in de sleutelkluis)</translation>
        </message>
        <message>
            <source>CA certificate (PEM)</source>
            <translation>CA-certificaat (PEM)</translation>
        </message>
        <message>
            <source>client certificate (PEM), optional</source>
            <translation>clientcertificaat (PEM), optioneel</translation>
        </message>
        <message>
            <source>client key (PEM), optional</source>
            <translation>clientsleutel (PEM), optioneel</translation>
        </message>
        <message>
            <source>empty: SQLite in the user data directory</source>
            <translation>leeg: SQLite in de gegevensmap van de gebruiker</translation>
        </message>
        <message>
            <source>Rescan ports</source>
            <translation>Poorten opnieuw zoeken</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>Verbinding testen</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Opslaan</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Bladeren…</translation>
        </message>
        <message>
            <source>MQTT broker</source>
            <translation>MQTT-broker</translation>
        </message>
        <message>
            <source>Broker URL</source>
            <translation>Broker-URL</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Gebruiker</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Wachtwoord</translation>
        </message>
        <message>
            <source>CA file</source>
            <translation>CA-bestand</translation>
        </message>
        <message>
            <source>Client certificate</source>
            <translation>Clientcertificaat</translation>
        </message>
        <message>
            <source>Client key</source>
            <translation>Clientsleutel</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>Database</translation>
        </message>
        <message>
            <source>Database URL</source>
            <translation>Database-URL</translation>
        </message>
        <message>
            <source>Modbus serial ports</source>
            <translation>Seriële Modbus-poorten</translation>
        </message>
        <message>
            <source>A sensor on a serial line names its port in its source URL (modbus+rtu://PORT/hr/0?unit=1&amp;baud=19200).</source>
            <translation>Een sensor op een seriële lijn noemt zijn poort in de bron-URL (modbus+rtu://PORT/hr/0?unit=1&amp;baud=19200).</translation>
        </message>
        <message>
            <source>no serial ports found</source>
            <translation>geen seriële poorten gevonden</translation>
        </message>
        <message>
            <source>Testing the broker…</source>
            <translation>Broker testen…</translation>
        </message>
        <message>
            <source>Testing the database…</source>
            <translation>Database testen…</translation>
        </message>
        <message>
            <source>Broker: {message}</source>
            <translation>Broker: {message}</translation>
        </message>
        <message>
            <source>Database: {message}</source>
            <translation>Database: {message}</translation>
        </message>
        <message>
            <source>Fix the broker URL before saving: {problem}.</source>
            <translation>Corrigeer de broker-URL voordat u opslaat: {problem}.</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Opslaan…</translation>
        </message>
        <message>
            <source>change settings</source>
            <translation>instellingen wijzigen</translation>
        </message>
        <message>
            <source>Saved. The new connections are used the next time Millwatch starts.</source>
            <translation>Opgeslagen. De nieuwe verbindingen worden gebruikt vanaf de volgende start van Millwatch.</translation>
        </message>
        <message>
            <source>Choose a file</source>
            <translation>Kies een bestand</translation>
        </message>
        <message>
            <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
            <translation>PEM-bestanden (*.pem *.crt *.key);;Alle bestanden (*)</translation>
        </message>
    </context>
    <context>
        <name>DatabasePage</name>
        <message>
            <source>Database</source>
            <translation>Database</translation>
        </message>
        <message>
            <source>Where Millwatch keeps the plant, its history, alarms and users.</source>
            <translation>Waar Millwatch de installatie, de historie, de alarmen en de gebruikers bewaart.</translation>
        </message>
        <message>
            <source>Local database on this computer (SQLite): one workstation</source>
            <translation>Lokale database op deze computer (SQLite): één werkplek</translation>
        </message>
        <message>
            <source>Shared database (PostgreSQL): a control room with several workstations</source>
            <translation>Gedeelde database (PostgreSQL): een controlekamer met meerdere werkplekken</translation>
        </message>
        <message>
            <source>password (kept in the OS keyring, not in a file)</source>
            <translation>wachtwoord (in de sleutelkluis van het systeem, niet in een bestand)</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>Verbinding testen</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>Bestand:</translation>
        </message>
        <message>
            <source>URL:</source>
            <translation>URL:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Wachtwoord:</translation>
        </message>
        <message>
            <source>Enter the URL of the PostgreSQL database, then test the connection.</source>
            <translation>Voer de URL van de PostgreSQL-database in en test dan de verbinding.</translation>
        </message>
        <message>
            <source>Not tested yet: test the connection to go on.</source>
            <translation>Nog niet getest: test de verbinding om verder te gaan.</translation>
        </message>
        <message>
            <source>Enter the path of the database file.</source>
            <translation>Voer het pad van het databasebestand in.</translation>
        </message>
        <message>
            <source>Checking the file...</source>
            <translation>Bestand controleren...</translation>
        </message>
        <message>
            <source>Connecting to {url}...</source>
            <translation>Verbinden met {url}...</translation>
        </message>
    </context>
    <context>
        <name>FieldForm</name>
        <message>
            <source>Name</source>
            <translation>Naam</translation>
        </message>
        <message>
            <source>Unique within the mill</source>
            <translation>Uniek binnen de molen</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>Device EUI</source>
            <translation>Apparaat-EUI</translation>
        </message>
        <message>
            <source>16 hex digits, unique in the plant</source>
            <translation>16 hexadecimale tekens, uniek in de installatie</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Locatie</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>Eenheid</translation>
        </message>
        <message>
            <source>Empty: the type's unit</source>
            <translation>Leeg: de eenheid van het type</translation>
        </message>
        <message>
            <source>Sampling interval (s)</source>
            <translation>Meetinterval (s)</translation>
        </message>
        <message>
            <source>Enabled (read and alarmed)</source>
            <translation>Ingeschakeld (bewaakt)</translation>
        </message>
        <message>
            <source>Source URL</source>
            <translation>Bron-URL</translation>
        </message>
        <message>
            <source>Empty: mqtt://mills/{mill}/sensors/{eui}/reading</source>
            <translation>Leeg: mqtt://mills/{mill}/sensors/{eui}/reading</translation>
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
            <source>Offset</source>
            <translation>Offset</translation>
        </message>
        <message>
            <source>Multiplier</source>
            <translation>Factor</translation>
        </message>
        <message>
            <source>Slug</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>Lowercase letters, digits, - and _ (used in topics)</source>
            <translation>Kleine letters, cijfers, - en _ (gebruikt in topics)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Unique in the plant</source>
            <translation>Uniek in de installatie</translation>
        </message>
        <message>
            <source>Capacity (t/day)</source>
            <translation>Capaciteit (t/dag)</translation>
        </message>
        <message>
            <source>Latitude</source>
            <translation>Breedtegraad</translation>
        </message>
        <message>
            <source>Longitude</source>
            <translation>Lengtegraad</translation>
        </message>
        <message>
            <source>E-stop over MQTT</source>
            <translation>Noodstop via MQTT</translation>
        </message>
        <message>
            <source>E-stop Modbus coil</source>
            <translation>Noodstop Modbus-coil</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Reden</translation>
        </message>
        <message>
            <source>Fix this problem before saving: {field}: {message}.</source>
            <translation>Los dit probleem op voordat u opslaat: {field}: {message}.</translation>
        </message>
        <message>
            <source>Fix {n} problems before saving: {field}: {message}.</source>
            <translation>Los {n} problemen op voordat u opslaat: {field}: {message}.</translation>
        </message>
    </context>
    <context>
        <name>MillsSensorsEditor</name>
        <message>
            <source>Mills and sensors</source>
            <translation>Molens en sensoren</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Vernieuwen</translation>
        </message>
        <message>
            <source>New mill</source>
            <translation>Nieuwe molen</translation>
        </message>
        <message>
            <source>New sensor</source>
            <translation>Nieuwe sensor</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Bewerken</translation>
        </message>
        <message>
            <source>Deactivate mill</source>
            <translation>Molen deactiveren</translation>
        </message>
        <message>
            <source>Disable sensor</source>
            <translation>Sensor uitschakelen</translation>
        </message>
        <message>
            <source>deactivated</source>
            <translation>gedeactiveerd</translation>
        </message>
        <message>
            <source>disabled</source>
            <translation>uitgeschakeld</translation>
        </message>
        <message>
            <source>{capacity} t/d</source>
            <translation>{capacity} t/d</translation>
        </message>
        <message>
            <source>{seconds} s</source>
            <translation>{seconds} s</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Slug</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Sensors</source>
            <translation>Sensoren</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Capaciteit</translation>
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
            <source>EUI</source>
            <translation>EUI</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>Eenheid</translation>
        </message>
        <message>
            <source>Interval</source>
            <translation>Interval</translation>
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
            <source>Alarm limits</source>
            <translation>Alarmgrenzen</translation>
        </message>
        <message>
            <source>Calibration (calibrated = raw × multiplier + offset)</source>
            <translation>Kalibratie (gekalibreerd = ruw × factor + offset)</translation>
        </message>
        <message>
            <source>Why the calibration changes (required for a change)</source>
            <translation>Reden van de kalibratiewijziging (verplicht bij een wijziging)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuleren</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Opslaan</translation>
        </message>
        <message>
            <source>Reactivate mill</source>
            <translation>Molen heractiveren</translation>
        </message>
        <message>
            <source>Enable sensor</source>
            <translation>Sensor inschakelen</translation>
        </message>
        <message>
            <source>Choose the mill the new sensor belongs to.</source>
            <translation>Kies de molen waartoe de nieuwe sensor behoort.</translation>
        </message>
        <message>
            <source>New sensor in {mill}</source>
            <translation>Nieuwe sensor in {mill}</translation>
        </message>
        <message>
            <source>Read only: {reason}.</source>
            <translation>Alleen-lezen: {reason}.</translation>
        </message>
        <message>
            <source>say why the calibration changes</source>
            <translation>geef de reden van de kalibratiewijziging</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Opslaan…</translation>
        </message>
        <message>
            <source>edit mills</source>
            <translation>molens bewerken</translation>
        </message>
        <message>
            <source>edit sensors</source>
            <translation>sensoren bewerken</translation>
        </message>
        <message>
            <source>Saved mill {name}.</source>
            <translation>Molen {name} opgeslagen.</translation>
        </message>
        <message>
            <source>Saved sensor {name} ({eui}).</source>
            <translation>Sensor {name} ({eui}) opgeslagen.</translation>
        </message>
        <message>
            <source>reactivate a mill</source>
            <translation>een molen heractiveren</translation>
        </message>
        <message>
            <source>deactivate a mill</source>
            <translation>een molen deactiveren</translation>
        </message>
        <message>
            <source>Mill {name} reactivated.</source>
            <translation>Molen {name} geheractiveerd.</translation>
        </message>
        <message>
            <source>Mill {name} deactivated.</source>
            <translation>Molen {name} gedeactiveerd.</translation>
        </message>
        <message>
            <source>Sensor {name} enabled.</source>
            <translation>Sensor {name} ingeschakeld.</translation>
        </message>
        <message>
            <source>Sensor {name} disabled.</source>
            <translation>Sensor {name} uitgeschakeld.</translation>
        </message>
        <message>
            <source>enable a sensor</source>
            <translation>een sensor inschakelen</translation>
        </message>
        <message>
            <source>disable a sensor</source>
            <translation>een sensor uitschakelen</translation>
        </message>
    </context>
    <context>
        <name>PlantFilePanel</name>
        <message>
            <source>Plant file</source>
            <translation>Installatiebestand</translation>
        </message>
        <message>
            <source>Import validates the whole file first and writes nothing when any problem is found; mills are matched by slug and sensors by EUI, so importing the same file twice changes nothing. Export writes a file that imports back unchanged.</source>
            <translation>Importeren controleert eerst het hele bestand en schrijft niets zodra er een probleem is gevonden; molens worden herkend aan hun code en sensoren aan hun EUI, dus hetzelfde bestand twee keer importeren verandert niets. Exporteren schrijft een bestand dat ongewijzigd terug te importeren is.</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Bestand</translation>
        </message>
        <message>
            <source>/path/to/plant.toml</source>
            <translation>/pad/naar/installatie.toml</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Bladeren…</translation>
        </message>
        <message>
            <source>Validate</source>
            <translation>Controleren</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>Importeren</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>Exporteren…</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>Problemen</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>Waar</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Veld</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Probleem</translation>
        </message>
        <message>
            <source>Choose a plant file first.</source>
            <translation>Kies eerst een installatiebestand.</translation>
        </message>
        <message>
            <source>validating {file}</source>
            <translation>{file} controleren</translation>
        </message>
        <message>
            <source>Valid: {mills} mill(s), {sensors} sensor(s). Nothing was written.</source>
            <translation>Geldig: {mills} molen(s), {sensors} sensor(en). Er is niets geschreven.</translation>
        </message>
        <message>
            <source>importing {file}</source>
            <translation>{file} importeren</translation>
        </message>
        <message>
            <source>import a plant file</source>
            <translation>een installatiebestand importeren</translation>
        </message>
        <message>
            <source>Imported: {created} created, {updated} updated, {unchanged} unchanged; {missing} sensor(s) in the database are not in the file.</source>
            <translation>Geïmporteerd: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd; {missing} sensor(en) in de database staan niet in het bestand.</translation>
        </message>
        <message>
            <source>Imported: {created} created, {updated} updated, {unchanged} unchanged.</source>
            <translation>Geïmporteerd: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd.</translation>
        </message>
        <message>
            <source>exporting to {file}</source>
            <translation>exporteren naar {file}</translation>
        </message>
        <message>
            <source>export the plant</source>
            <translation>de installatie exporteren</translation>
        </message>
        <message>
            <source>Exported {mills} mill(s), {sensors} sensor(s) to {path}.</source>
            <translation>{mills} molen(s), {sensors} sensor(en) geëxporteerd naar {path}.</translation>
        </message>
        <message>
            <source>Plant files (*.toml);;All files (*)</source>
            <translation>Installatiebestanden (*.toml);;Alle bestanden (*)</translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s) — nothing was written</source>
            <translation>
                <numerusform>%n probleem — er is niets geschreven</numerusform>
                <numerusform>%n problemen — er is niets geschreven</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The file was refused: %n problem(s), listed below. Nothing was written.</source>
            <translation>
                <numerusform>Het bestand is geweigerd: %n probleem, hieronder vermeld. Er is niets geschreven.</numerusform>
                <numerusform>Het bestand is geweigerd: %n problemen, hieronder vermeld. Er is niets geschreven.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PlantPage</name>
        <message>
            <source>Plant</source>
            <translation>Installatie</translation>
        </message>
        <message>
            <source>The mills and their sensors. A plant file can also be imported later (millwatch plant import FILE).</source>
            <translation>De molens en hun sensoren. Een installatiebestand kan ook later worden geïmporteerd (millwatch plant import FILE).</translation>
        </message>
        <message>
            <source>Start with the demo plant (simulated values: to try Millwatch out)</source>
            <translation>Beginnen met de demo-installatie (gesimuleerde waarden: om Millwatch uit te proberen)</translation>
        </message>
        <message>
            <source>Import a plant file (TOML)</source>
            <translation>Een installatiebestand importeren (TOML)</translation>
        </message>
        <message>
            <source>/path/to/plant.toml</source>
            <translation>/pad/naar/installatie.toml</translation>
        </message>
        <message>
            <source>Check file</source>
            <translation>Bestand controleren</translation>
        </message>
        <message>
            <source>Keep the plant already in the database</source>
            <translation>De installatie in de database behouden</translation>
        </message>
        <message>
            <source>No plant for now</source>
            <translation>Voorlopig geen installatie</translation>
        </message>
        <message numerus="yes">
            <source>Keep the plant already in the database (%n mill(s))</source>
            <translation>
                <numerusform>De installatie in de database behouden (%n molen)</numerusform>
                <numerusform>De installatie in de database behouden (%n molens)</numerusform>
            </translation>
        </message>
        <message>
            <source>Keep the plant already in the database (it has none)</source>
            <translation>De installatie in de database behouden (de database heeft er geen)</translation>
        </message>
        <message>
            <source>Check the file to go on: it is validated whole before anything is written.</source>
            <translation>Controleer het bestand om verder te gaan: het wordt volledig gevalideerd voordat er iets wordt geschreven.</translation>
        </message>
        <message>
            <source>The demo plant: two mills with 31 sensors, fed by the built-in simulator.</source>
            <translation>De demo-installatie: twee molens met 31 sensoren, gevoed door de ingebouwde simulator.</translation>
        </message>
        <message>
            <source>Checking {path}...</source>
            <translation>{path} controleren...</translation>
        </message>
    </context>
    <context>
        <name>ServiceCaller</name>
        <message>
            <source>nobody is signed in: sign in first</source>
            <translation>niemand is aangemeld: meld u eerst aan</translation>
        </message>
        <message>
            <source>the session changed: start again</source>
            <translation>de sessie is gewijzigd: begin opnieuw</translation>
        </message>
    </context>
    <context>
        <name>SetupWizard</name>
        <message>
            <source>OK: {text}</source>
            <translation>OK: {text}</translation>
        </message>
        <message>
            <source>Problem: {text}</source>
            <translation>Probleem: {text}</translation>
        </message>
        <message>
            <source>Millwatch setup</source>
            <translation>Millwatch instellen</translation>
        </message>
        <message>
            <source>Millwatch setup (again)</source>
            <translation>Millwatch opnieuw instellen</translation>
        </message>
        <message>
            <source>Database: {url}  (password: in the keyring)</source>
            <translation>Database: {url}  (wachtwoord: in de sleutelkluis)</translation>
        </message>
        <message>
            <source>Database: {url}</source>
            <translation>Database: {url}</translation>
        </message>
        <message>
            <source>Broker: {url}  (password: in the keyring)</source>
            <translation>Broker: {url}  (wachtwoord: in de sleutelkluis)</translation>
        </message>
        <message>
            <source>Broker: {url}</source>
            <translation>Broker: {url}</translation>
        </message>
        <message>
            <source>Broker: none</source>
            <translation>Broker: geen</translation>
        </message>
        <message>
            <source>New administrator: {name}</source>
            <translation>Nieuwe beheerder: {name}</translation>
        </message>
        <message>
            <source>New administrator: none</source>
            <translation>Nieuwe beheerder: geen</translation>
        </message>
        <message>
            <source>Plant: the demo plant, simulated</source>
            <translation>Installatie: de demo-installatie, gesimuleerd</translation>
        </message>
        <message>
            <source>Plant: import {file}</source>
            <translation>Installatie: {file} importeren</translation>
        </message>
        <message>
            <source>Plant: keep the plant in the database</source>
            <translation>Installatie: de installatie in de database behouden</translation>
        </message>
        <message>
            <source>Plant: none for now</source>
            <translation>Installatie: voorlopig geen</translation>
        </message>
        <message>
            <source>Settings file: {path}</source>
            <translation>Instellingenbestand: {path}</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Summary</source>
            <translation>Overzicht</translation>
        </message>
        <message>
            <source>Apply writes the settings file, stores the passwords in the keyring and prepares the database.</source>
            <translation>Toepassen schrijft het instellingenbestand, bewaart de wachtwoorden in de sleutelkluis en bereidt de database voor.</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Toepassen</translation>
        </message>
    </context>
    <context>
        <name>ToolsScreen</name>
        <message>
            <source>MQTT topic explorer</source>
            <translation>MQTT-topicverkenner</translation>
        </message>
        <message>
            <source>Modbus register scanner</source>
            <translation>Modbus-registerscanner</translation>
        </message>
        <message>
            <source>Link diagnostics</source>
            <translation>Verbindingsdiagnose</translation>
        </message>
    </context>
    <context>
        <name>UserAdmin</name>
        <message>
            <source>all mills</source>
            <translation>alle molens</translation>
        </message>
        <message>
            <source>no mills</source>
            <translation>geen molens</translation>
        </message>
    </context>
    <context>
        <name>UserAdminView</name>
        <message>
            <source>User accounts</source>
            <translation>Gebruikersaccounts</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Vernieuwen</translation>
        </message>
        <message>
            <source>New user</source>
            <translation>Nieuwe gebruiker</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Bewerken</translation>
        </message>
        <message>
            <source>Reset password</source>
            <translation>Wachtwoord resetten</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>Deblokkeren</translation>
        </message>
        <message>
            <source>Deactivate</source>
            <translation>Deactiveren</translation>
        </message>
        <message>
            <source>Reactivate</source>
            <translation>Heractiveren</translation>
        </message>
        <message>
            <source>Change the role, mills or display name of the selected user</source>
            <translation>De rol, molens of weergavenaam van de geselecteerde gebruiker wijzigen</translation>
        </message>
        <message>
            <source>Give the selected user a temporary password (to change at the next sign-in)</source>
            <translation>De geselecteerde gebruiker een tijdelijk wachtwoord geven (te wijzigen bij de volgende aanmelding)</translation>
        </message>
        <message>
            <source>Clear the failed sign-in attempts and any lockout of the selected user</source>
            <translation>De mislukte aanmeldpogingen en een eventuele blokkering van de geselecteerde gebruiker wissen</translation>
        </message>
        <message>
            <source>The selected user can no longer sign in (reversible)</source>
            <translation>De geselecteerde gebruiker kan zich niet meer aanmelden (omkeerbaar)</translation>
        </message>
        <message>
            <source>Let the selected user sign in again</source>
            <translation>De geselecteerde gebruiker weer laten aanmelden</translation>
        </message>
        <message>
            <source>Enter password</source>
            <translation>Wachtwoord invoeren</translation>
        </message>
        <message>
            <source>manage users</source>
            <translation>gebruikers beheren</translation>
        </message>
        <message>
            <source>User management is not available: {reason}.</source>
            <translation>Gebruikersbeheer is niet beschikbaar: {reason}.</translation>
        </message>
        <message>
            <source>Enter your password again to show and change the accounts.</source>
            <translation>Voer uw wachtwoord opnieuw in om de accounts te tonen en te wijzigen.</translation>
        </message>
        <message>
            <source>Unlocked {user}: failed attempts cleared.</source>
            <translation>{user} gedeblokkeerd: mislukte pogingen gewist.</translation>
        </message>
        <message>
            <source>unlock an account</source>
            <translation>een account deblokkeren</translation>
        </message>
        <message>
            <source>Deactivated {user}: they can no longer sign in.</source>
            <translation>{user} gedeactiveerd: deze gebruiker kan zich niet meer aanmelden.</translation>
        </message>
        <message>
            <source>deactivate an account</source>
            <translation>een account deactiveren</translation>
        </message>
        <message>
            <source>Reactivated {user}.</source>
            <translation>{user} geheractiveerd.</translation>
        </message>
        <message>
            <source>reactivate an account</source>
            <translation>een account heractiveren</translation>
        </message>
        <message>
            <source>Enter a username.</source>
            <translation>Voer een gebruikersnaam in.</translation>
        </message>
        <message>
            <source>Created {user} ({role}). Temporary password: {password} (to change at the first sign-in).</source>
            <translation>{user} ({role}) aangemaakt. Tijdelijk wachtwoord: {password} (te wijzigen bij de eerste aanmelding).</translation>
        </message>
        <message>
            <source>create a user</source>
            <translation>een gebruiker aanmaken</translation>
        </message>
        <message>
            <source>Saved {user}: {role}, {mills}.</source>
            <translation>{user} opgeslagen: {role}, {mills}.</translation>
        </message>
        <message>
            <source>edit a user</source>
            <translation>een gebruiker bewerken</translation>
        </message>
        <message>
            <source>Temporary password for {user}: {password} (to change at the next sign-in).</source>
            <translation>Tijdelijk wachtwoord voor {user}: {password} (te wijzigen bij de volgende aanmelding).</translation>
        </message>
        <message>
            <source>reset a password</source>
            <translation>een wachtwoord resetten</translation>
        </message>
        <message>
            <source>Nobody is signed in.</source>
            <translation>Niemand is aangemeld.</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>Bezig…</translation>
        </message>
    </context>
    <context>
        <name>UserForm</name>
        <message>
            <source>New user</source>
            <translation>Nieuwe gebruiker</translation>
        </message>
        <message>
            <source>Edit user: {user}</source>
            <translation>Gebruiker bewerken: {user}</translation>
        </message>
        <message>
            <source>Reset password: {user}</source>
            <translation>Wachtwoord resetten: {user}</translation>
        </message>
        <message>
            <source>Create user</source>
            <translation>Gebruiker aanmaken</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>Wijzigingen opslaan</translation>
        </message>
        <message>
            <source>Set temporary password</source>
            <translation>Tijdelijk wachtwoord instellen</translation>
        </message>
        <message>
            <source>e.g. ana</source>
            <translation>bijv. ana</translation>
        </message>
        <message>
            <source>e.g. Ana Silva</source>
            <translation>bijv. Ana Silva</translation>
        </message>
        <message>
            <source>Temporary password</source>
            <translation>Tijdelijk wachtwoord</translation>
        </message>
        <message>
            <source>Generate</source>
            <translation>Genereren</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuleren</translation>
        </message>
        <message>
            <source>Username</source>
            <translation>Gebruikersnaam</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>Weergavenaam</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rol</translation>
        </message>
        <message>
            <source>Mills</source>
            <translation>Molens</translation>
        </message>
        <message>
            <source>Admins see and act on every mill.</source>
            <translation>Beheerders zien en bedienen elke molen.</translation>
        </message>
        <message>
            <source>The mills this user sees and acts on.</source>
            <translation>De molens die deze gebruiker ziet en bedient.</translation>
        </message>
        <message>
            <source>The user must change it at the next sign-in.</source>
            <translation>De gebruiker moet het bij de volgende aanmelding wijzigen.</translation>
        </message>
        <message>
            <source>Meets the password policy. The user must change it at the next sign-in.</source>
            <translation>Voldoet aan het wachtwoordbeleid. De gebruiker moet het bij de volgende aanmelding wijzigen.</translation>
        </message>
    </context>
    <context>
        <name>UserTableModel</name>
        <message>
            <source>Username</source>
            <translation>Gebruikersnaam</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Naam</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rol</translation>
        </message>
        <message>
            <source>Mills</source>
            <translation>Molens</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Last sign-in</source>
            <translation>Laatste aanmelding</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Mislukt</translation>
        </message>
        <message>
            <source>Locked until</source>
            <translation>Geblokkeerd tot</translation>
        </message>
        <message>
            <source>Admins see and act on every mill</source>
            <translation>Beheerders zien en bedienen elke molen</translation>
        </message>
        <message>
            <source>deactivated</source>
            <translation>gedeactiveerd</translation>
        </message>
        <message>
            <source>must change password</source>
            <translation>moet wachtwoord wijzigen</translation>
        </message>
        <message>
            <source>active</source>
            <translation>actief</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nooit</translation>
        </message>
    </context>
    <context>
        <name>WizardChecks</name>
        <message>
            <source>cannot use {url}: {reason}</source>
            <translation>{url} is niet bruikbaar: {reason}</translation>
        </message>
        <message>
            <source>cannot create a database in {folder}: not writable</source>
            <translation>kan geen database aanmaken in {folder}: niet beschrijfbaar</translation>
        </message>
        <message>
            <source>a new database will be created at {path}</source>
            <translation>er wordt een nieuwe database aangemaakt op {path}</translation>
        </message>
        <message>
            <source>cannot connect to {url}: {reason}</source>
            <translation>kan geen verbinding maken met {url}: {reason}</translation>
        </message>
        <message>
            <source>connected ({name}), but the database holds {n} other tables and no Millwatch schema: choose an empty database</source>
            <translation>verbonden ({name}), maar de database bevat {n} andere tabellen en geen Millwatch-schema: kies een lege database</translation>
        </message>
        <message>
            <source>connected ({name}): empty database, the schema will be created</source>
            <translation>verbonden ({name}): lege database, het schema wordt aangemaakt</translation>
        </message>
        <message>
            <source>schema {revision} (current)</source>
            <translation>schema {revision} (actueel)</translation>
        </message>
        <message>
            <source>schema {revision}, will be upgraded to {head}</source>
            <translation>schema {revision}, wordt bijgewerkt naar {head}</translation>
        </message>
        <message>
            <source>connected ({name}), but its schema {revision} is newer than this Millwatch ({head}): update Millwatch first</source>
            <translation>verbonden ({name}), maar het schema {revision} is nieuwer dan deze Millwatch ({head}): werk Millwatch eerst bij</translation>
        </message>
        <message>
            <source>connected ({name}): Millwatch database, {state}, {users} user(s), {admins} admin(s), {mills} mill(s)</source>
            <translation>verbonden ({name}): Millwatch-database, {state}, {users} gebruiker(s), {admins} beheerder(s), {mills} molen(s)</translation>
        </message>
        <message>
            <source>no broker URL</source>
            <translation>geen broker-URL</translation>
        </message>
        <message>
            <source>TLS settings of {broker} unusable: {reason}</source>
            <translation>TLS-instellingen van {broker} onbruikbaar: {reason}</translation>
        </message>
        <message>
            <source>cannot reach {host}:{port}: {reason}</source>
            <translation>{host}:{port} is niet bereikbaar: {reason}</translation>
        </message>
        <message>
            <source>{broker} did not answer within {seconds} s</source>
            <translation>{broker} antwoordde niet binnen {seconds} s</translation>
        </message>
        <message>
            <source>{broker} refused the connection: {reason}</source>
            <translation>{broker} weigerde de verbinding: {reason}</translation>
        </message>
        <message>
            <source>connected to {broker} (MQTT 5)</source>
            <translation>verbonden met {broker} (MQTT 5)</translation>
        </message>
        <message>
            <source>{n} problem(s), first: {problem}</source>
            <translation>{n} probleem(en), het eerste: {problem}</translation>
        </message>
        <message>
            <source>valid: {mills} mill(s), {sensors} sensor(s)</source>
            <translation>geldig: {mills} molen(s), {sensors} sensor(en)</translation>
        </message>
        <message>
            <source>a database password needs a user name in the database URL</source>
            <translation>een databasewachtwoord vereist een gebruikersnaam in de database-URL</translation>
        </message>
        <message>
            <source>storing the database password in the keyring</source>
            <translation>databasewachtwoord opslaan in de sleutelkluis</translation>
        </message>
        <message>
            <source>a broker password needs a user name in the broker URL (mqtt://user@host)</source>
            <translation>een brokerwachtwoord vereist een gebruikersnaam in de broker-URL (mqtt://user@host)</translation>
        </message>
        <message>
            <source>storing the broker password in the keyring</source>
            <translation>brokerwachtwoord opslaan in de sleutelkluis</translation>
        </message>
        <message>
            <source>{problem}; or leave the password empty here and set it in the environment</source>
            <translation>{problem}; of laat het wachtwoord hier leeg en stel het in via de omgeving</translation>
        </message>
        <message>
            <source>bringing the schema of {url} up to date</source>
            <translation>schema van {url} bijwerken</translation>
        </message>
        <message>
            <source>database at schema {revision}</source>
            <translation>database op schema {revision}</translation>
        </message>
        <message>
            <source>creating the administrator {name}</source>
            <translation>beheerder {name} aanmaken</translation>
        </message>
        <message>
            <source>importing the plant {file}</source>
            <translation>installatie {file} importeren</translation>
        </message>
        <message>
            <source>{file}: {n} problem(s), first: {problem}</source>
            <translation>{file}: {n} probleem(en), het eerste: {problem}</translation>
        </message>
        <message>
            <source>the plant conflicts with the database: {problem}</source>
            <translation>de installatie conflicteert met de database: {problem}</translation>
        </message>
        <message>
            <source>plant: {created} created, {updated} updated, {unchanged} unchanged</source>
            <translation>installatie: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd</translation>
        </message>
        <message>
            <source>database {url}: {reason}</source>
            <translation>database {url}: {reason}</translation>
        </message>
        <message>
            <source>settings written to {path}</source>
            <translation>instellingen geschreven naar {path}</translation>
        </message>
    </context>
</TS>
