<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>InterpretationModel</name>
        <message>
            <source>value</source>
            <translation>waarde</translation>
        </message>
        <message>
            <source>{value} (one register: only the byte swap matters)</source>
            <translation>{value} (één register: alleen de bytewissel telt)</translation>
        </message>
    </context>
    <context>
        <name>JsonFieldModel</name>
        <message>
            <source>Field</source>
            <translation>Veld</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Waarde</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>(whole payload)</source>
            <translation>(hele payload)</translation>
        </message>
        <message>
            <source>Bind to {path}</source>
            <translation>Koppelen aan {path}</translation>
        </message>
        <message>
            <source>Bind to the payload itself</source>
            <translation>Koppelen aan de payload zelf</translation>
        </message>
        <message>
            <source>Inside a list or under a key with a dot: a source URL cannot reach it</source>
            <translation>In een lijst of onder een sleutel met een punt: een bron-URL kan dit niet bereiken</translation>
        </message>
        <message>
            <source>Not a number: a sensor reads numbers only</source>
            <translation>Geen getal: een sensor leest alleen getallen</translation>
        </message>
    </context>
    <context>
        <name>LinkDiagnostics</name>
        <message>
            <source>Up</source>
            <translation>Verbonden</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>Verbroken</translation>
        </message>
        <message>
            <source>Degraded</source>
            <translation>Beperkt</translation>
        </message>
        <message>
            <source>Connecting</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>MQTT broker</source>
            <translation>MQTT-broker</translation>
        </message>
        <message>
            <source>Modbus</source>
            <translation>Modbus</translation>
        </message>
        <message>
            <source>Simulator</source>
            <translation>Simulator</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>Database</translation>
        </message>
        <message>
            <source>Link</source>
            <translation>Verbinding</translation>
        </message>
        <message>
            <source>device timeout</source>
            <translation>geen antwoord</translation>
        </message>
        <message>
            <source>disconnected</source>
            <translation>verbinding verbroken</translation>
        </message>
        <message>
            <source>protocol error</source>
            <translation>protocolfout</translation>
        </message>
        <message>
            <source>short read</source>
            <translation>onvolledig antwoord</translation>
        </message>
        <message>
            <source>decode error</source>
            <translation>decodeerfout</translation>
        </message>
        <message>
            <source>not finite</source>
            <translation>geen eindige waarde</translation>
        </message>
        <message>
            <source>register out of range</source>
            <translation>register buiten bereik</translation>
        </message>
        <message>
            <source>readback mismatch</source>
            <translation>teruglezing wijkt af</translation>
        </message>
        <message>
            <source>illegal function</source>
            <translation>ongeldige functie</translation>
        </message>
        <message>
            <source>illegal data address</source>
            <translation>ongeldig data-adres</translation>
        </message>
        <message>
            <source>illegal data value</source>
            <translation>ongeldige datawaarde</translation>
        </message>
        <message>
            <source>device failure</source>
            <translation>apparaatstoring</translation>
        </message>
        <message>
            <source>acknowledge</source>
            <translation>bevestigd, in behandeling</translation>
        </message>
        <message>
            <source>device busy</source>
            <translation>apparaat bezet</translation>
        </message>
        <message>
            <source>memory parity error</source>
            <translation>geheugenpariteitsfout</translation>
        </message>
        <message>
            <source>gateway path unavailable</source>
            <translation>gatewaypad niet beschikbaar</translation>
        </message>
        <message>
            <source>gateway target failed to respond</source>
            <translation>gatewaydoel antwoordt niet</translation>
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
            <source>{n} d</source>
            <translation>{n} d</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nooit</translation>
        </message>
        <message>
            <source>{age} ago</source>
            <translation>{age} geleden</translation>
        </message>
        <message>
            <source>exception {code}</source>
            <translation>uitzondering {code}</translation>
        </message>
        <message>
            <source>none</source>
            <translation>geen</translation>
        </message>
        <message>
            <source>+{n} more</source>
            <translation>+{n} meer</translation>
        </message>
    </context>
    <context>
        <name>LinkDiagnosticsView</name>
        <message>
            <source>Links</source>
            <translation>Verbindingen</translation>
        </message>
        <message>
            <source>Copy table</source>
            <translation>Tabel kopiëren</translation>
        </message>
        <message>
            <source>Copy the table as text, for a support ticket</source>
            <translation>De tabel als tekst kopiëren, voor een supportmelding</translation>
        </message>
        <message>
            <source>Pick a link for its details</source>
            <translation>Kies een verbinding voor de details</translation>
        </message>
        <message>
            <source>Diagnostics unavailable: {error}</source>
            <translation>Diagnose niet beschikbaar: {error}</translation>
        </message>
        <message>
            <source>1 link</source>
            <translation>1 verbinding</translation>
        </message>
        <message>
            <source>{n} links</source>
            <translation>{n} verbindingen</translation>
        </message>
        <message>
            <source>{n} down</source>
            <translation>{n} verbroken</translation>
        </message>
        <message>
            <source>{n} degraded or connecting</source>
            <translation>{n} beperkt of bezig met verbinden</translation>
        </message>
        <message>
            <source>all up</source>
            <translation>alle verbonden</translation>
        </message>
        <message>
            <source>Reason: {reason}</source>
            <translation>Oorzaak: {reason}</translation>
        </message>
        <message>
            <source>Last data: {age} · latency {last} (p99 {p99}) · {requests} polls/messages · {reconnects} reconnects</source>
            <translation>Laatste data: {age} · latentie {last} (p99 {p99}) · {requests} polls/berichten · {reconnects} herverbindingen</translation>
        </message>
        <message>
            <source>Errors by kind: {errors}</source>
            <translation>Fouten per soort: {errors}</translation>
        </message>
    </context>
    <context>
        <name>LinkTableModel</name>
        <message>
            <source>Link</source>
            <translation>Verbinding</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Soort</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Toestand</translation>
        </message>
        <message>
            <source>Last data</source>
            <translation>Laatste data</translation>
        </message>
        <message>
            <source>Latency</source>
            <translation>Latentie</translation>
        </message>
        <message>
            <source>p99</source>
            <translation>p99</translation>
        </message>
        <message>
            <source>Polls / msgs</source>
            <translation>Polls / ber.</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>Fouten</translation>
        </message>
        <message>
            <source>Reconnects</source>
            <translation>Herverb.</translation>
        </message>
        <message>
            <source>Detail</source>
            <translation>Detail</translation>
        </message>
    </context>
    <context>
        <name>RegisterScanner</name>
        <message>
            <source>no answer</source>
            <translation>geen antwoord</translation>
        </message>
        <message>
            <source>no connection</source>
            <translation>geen verbinding</translation>
        </message>
        <message>
            <source>protocol error</source>
            <translation>protocolfout</translation>
        </message>
        <message>
            <source>short answer</source>
            <translation>onvolledig antwoord</translation>
        </message>
        <message>
            <source>Holding registers</source>
            <translation>Holdingregisters</translation>
        </message>
        <message>
            <source>Input registers</source>
            <translation>Ingangsregisters</translation>
        </message>
        <message>
            <source>Coils</source>
            <translation>Coils</translation>
        </message>
        <message>
            <source>Discrete inputs</source>
            <translation>Discrete ingangen</translation>
        </message>
        <message>
            <source>big-endian</source>
            <translation>big-endian</translation>
        </message>
        <message>
            <source>word-swapped</source>
            <translation>woorden gewisseld</translation>
        </message>
        <message>
            <source>byte-swapped</source>
            <translation>bytes gewisseld</translation>
        </message>
        <message>
            <source>little-endian</source>
            <translation>little-endian</translation>
        </message>
    </context>
    <context>
        <name>RegisterScannerView</name>
        <message>
            <source>Modbus TCP</source>
            <translation>Modbus TCP</translation>
        </message>
        <message>
            <source>Modbus RTU (serial)</source>
            <translation>Modbus RTU (serieel)</translation>
        </message>
        <message>
            <source>host or IP</source>
            <translation>host of IP-adres</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>Poort</translation>
        </message>
        <message>
            <source>Even</source>
            <translation>Even</translation>
        </message>
        <message>
            <source>None</source>
            <translation>Geen</translation>
        </message>
        <message>
            <source>Odd</source>
            <translation>Oneven</translation>
        </message>
        <message>
            <source>1 stop bit</source>
            <translation>1 stopbit</translation>
        </message>
        <message>
            <source>2 stop bits</source>
            <translation>2 stopbits</translation>
        </message>
        <message>
            <source>0-based protocol address (register 40001 is address 0)</source>
            <translation>Protocoladres vanaf 0 (register 40001 is adres 0)</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Lezen</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>Apparaat</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>Unit</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Aantal</translation>
        </message>
        <message>
            <source>Timeout</source>
            <translation>Time-out</translation>
        </message>
        <message>
            <source>Enter the device and the range, then Read.</source>
            <translation>Voer het apparaat en het bereik in en kies dan Lezen.</translation>
        </message>
        <message>
            <source>Multi-register order</source>
            <translation>Volgorde meerdere registers</translation>
        </message>
        <message>
            <source>Pick a register</source>
            <translation>Kies een register</translation>
        </message>
        <message>
            <source>Every data type (rows) in every byte/word order (columns). Click the one that shows the value the device displays.</source>
            <translation>Elk datatype (rijen) in elke byte-/woordvolgorde (kolommen). Klik op de cel met de waarde die het apparaat zelf toont.</translation>
        </message>
        <message>
            <source>Bind to sensor…</source>
            <translation>Aan sensor koppelen…</translation>
        </message>
        <message>
            <source>Scale</source>
            <translation>Schaal</translation>
        </message>
        <message>
            <source>Offset</source>
            <translation>Offset</translation>
        </message>
        <message>
            <source>Source URL</source>
            <translation>Bron-URL</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stoppen</translation>
        </message>
        <message>
            <source>Reading {device} unit {unit} {table}/{first}..{last}…</source>
            <translation>{device} unit {unit} {table}/{first}..{last} wordt gelezen…</translation>
        </message>
        <message>
            <source>{device} unit {unit} · {table} {first}..{last} · {read} of {count} read in {ms} ms ({requests} requests)</source>
            <translation>{device} unit {unit} · {table} {first}..{last} · {read} van {count} gelezen in {ms} ms ({requests} verzoeken)</translation>
        </message>
        <message>
            <source>{status} · stopped</source>
            <translation>{status} · gestopt</translation>
        </message>
        <message>
            <source>no answer within {seconds} s</source>
            <translation>geen antwoord binnen {seconds} s</translation>
        </message>
        <message>
            <source>cannot connect</source>
            <translation>kan niet verbinden</translation>
        </message>
        <message>
            <source>{status} · device refused {errors} and {n} more</source>
            <translation>{status} · apparaat weigerde {errors} en nog {n}</translation>
        </message>
        <message>
            <source>{status} · device refused {errors}</source>
            <translation>{status} · apparaat weigerde {errors}</translation>
        </message>
        <message>
            <source>Address {address} · {table}/{address} · unit {unit}</source>
            <translation>Adres {address} · {table}/{address} · unit {unit}</translation>
        </message>
        <message>
            <source>Bit {value}</source>
            <translation>Bit {value}</translation>
        </message>
        <message>
            <source>Registers {first}–{last}:  {values}</source>
            <translation>Registers {first}–{last}:  {values}</translation>
        </message>
        <message>
            <source>Read a range, then pick a register and how to read it.</source>
            <translation>Lees een bereik en kies dan een register en hoe het gelezen wordt.</translation>
        </message>
        <message>
            <source>{type} at {address} was not read (or runs past the range)</source>
            <translation>{type} op {address} is niet gelezen (of loopt voorbij het bereik)</translation>
        </message>
        <message>
            <source>Reads {value} now → {scaled} after scale/offset</source>
            <translation>Leest nu {value} → {scaled} na schaal/offset</translation>
        </message>
        <message>
            <source>Reads {value} now</source>
            <translation>Leest nu {value}</translation>
        </message>
    </context>
    <context>
        <name>RegisterTableModel</name>
        <message>
            <source>Address</source>
            <translation>Adres</translation>
        </message>
        <message>
            <source>Ref</source>
            <translation>Ref.</translation>
        </message>
        <message>
            <source>Hex</source>
            <translation>Hex</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Waarde</translation>
        </message>
        <message>
            <source>not read</source>
            <translation>niet gelezen</translation>
        </message>
    </context>
    <context>
        <name>TopicExplorer</name>
        <message>
            <source>number</source>
            <translation>getal</translation>
        </message>
        <message>
            <source>string</source>
            <translation>tekst</translation>
        </message>
        <message>
            <source>bool</source>
            <translation>bool</translation>
        </message>
        <message>
            <source>null</source>
            <translation>null</translation>
        </message>
        <message>
            <source>object</source>
            <translation>object</translation>
        </message>
        <message>
            <source>array</source>
            <translation>lijst</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>Verbonden</translation>
        </message>
        <message>
            <source>Connecting</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Niet verbonden</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Inactief</translation>
        </message>
        <message>
            <source>Cannot connect</source>
            <translation>Kan niet verbinden</translation>
        </message>
    </context>
    <context>
        <name>TopicExplorerView</name>
        <message>
            <source>not connected</source>
            <translation>niet verbonden</translation>
        </message>
        <message>
            <source>no broker is configured (Configuration &gt; Connections)</source>
            <translation>er is geen broker ingesteld (Configuratie &gt; Verbindingen)</translation>
        </message>
        <message>
            <source>Broker</source>
            <translation>Broker</translation>
        </message>
        <message>
            <source>Subscribe to</source>
            <translation>Abonneren op</translation>
        </message>
        <message>
            <source>MQTT topic filter: # for everything, mills/# for the plant's topics</source>
            <translation>MQTT-topicfilter: # voor alles, mills/# voor de topics van de installatie</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Wissen</translation>
        </message>
        <message>
            <source>Find topic</source>
            <translation>Topic zoeken</translation>
        </message>
        <message>
            <source>Pick a topic</source>
            <translation>Kies een topic</translation>
        </message>
        <message>
            <source>Payload of the picked topic</source>
            <translation>Payload van het gekozen topic</translation>
        </message>
        <message>
            <source>Value path</source>
            <translation>Waardepad</translation>
        </message>
        <message>
            <source>value  (click a number in the fields above)</source>
            <translation>value  (klik op een getal hierboven)</translation>
        </message>
        <message>
            <source>Timestamp</source>
            <translation>Tijdstempel</translation>
        </message>
        <message>
            <source>Source URL</source>
            <translation>Bron-URL</translation>
        </message>
        <message>
            <source>Bind to sensor…</source>
            <translation>Aan sensor koppelen…</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>niet ingesteld</translation>
        </message>
        <message>
            <source>Disconnect</source>
            <translation>Verbreken</translation>
        </message>
        <message>
            <source>connecting…</source>
            <translation>verbinden…</translation>
        </message>
        <message>
            <source>disconnected</source>
            <translation>verbroken</translation>
        </message>
        <message>
            <source>{topics} topics · {messages} messages · {rate}/s</source>
            <translation>{topics} topics · {messages} berichten · {rate}/s</translation>
        </message>
        <message>
            <source>{counts} · {n} not tracked (limit)</source>
            <translation>{counts} · {n} niet gevolgd (limiet)</translation>
        </message>
        <message>
            <source>No message on this level: pick a topic below it</source>
            <translation>Geen bericht op dit niveau: kies een topic eronder</translation>
        </message>
        <message>
            <source>retained</source>
            <translation>bewaard</translation>
        </message>
        <message>
            <source>live</source>
            <translation>live</translation>
        </message>
        <message>
            <source>{n} bytes</source>
            <translation>{n} bytes</translation>
        </message>
        <message>
            <source>1 message</source>
            <translation>1 bericht</translation>
        </message>
        <message>
            <source>{n} messages</source>
            <translation>{n} berichten</translation>
        </message>
        <message>
            <source>last {time}</source>
            <translation>laatste {time}</translation>
        </message>
        <message>
            <source>showing the first {n} bytes</source>
            <translation>de eerste {n} bytes getoond</translation>
        </message>
        <message>
            <source>ts (default)</source>
            <translation>ts (standaard)</translation>
        </message>
        <message>
            <source>arrival time</source>
            <translation>aankomsttijd</translation>
        </message>
        <message>
            <source>This field is not a number a sensor can read.</source>
            <translation>Dit veld is geen getal dat een sensor kan lezen.</translation>
        </message>
        <message>
            <source>A source URL reaches object keys only (no list items, no dots in keys).</source>
            <translation>Een bron-URL bereikt alleen objectsleutels (geen lijstelementen, geen punten in sleutels).</translation>
        </message>
        <message>
            <source>Pick a topic, then the number to read in its payload.</source>
            <translation>Kies een topic en dan het getal in de payload dat gelezen moet worden.</translation>
        </message>
        <message>
            <source>Opens the sensor editor with this source.</source>
            <translation>Opent de sensoreditor met deze bron.</translation>
        </message>
    </context>
    <context>
        <name>TopicTreeModel</name>
        <message>
            <source>Topic</source>
            <translation>Topic</translation>
        </message>
        <message>
            <source>Msgs</source>
            <translation>Ber.</translation>
        </message>
        <message>
            <source>Rate/s</source>
            <translation>Ber./s</translation>
        </message>
        <message>
            <source>QoS</source>
            <translation>QoS</translation>
        </message>
        <message>
            <source>Retain</source>
            <translation>Bewaard</translation>
        </message>
        <message>
            <source>Last</source>
            <translation>Laatst</translation>
        </message>
        <message>
            <source>Payload</source>
            <translation>Payload</translation>
        </message>
        <message>
            <source>(empty)</source>
            <translation>(leeg)</translation>
        </message>
        <message>
            <source>1 topic</source>
            <translation>1 topic</translation>
        </message>
        <message>
            <source>{n} topics</source>
            <translation>{n} topics</translation>
        </message>
        <message>
            <source>retained</source>
            <translation>bewaard</translation>
        </message>
    </context>
</TS>
