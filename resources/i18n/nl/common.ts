<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>Domain</name>
        <message>
            <source>Active</source>
            <translation>Actief</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation>Onderhoud</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Storing</translation>
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
            <source>Pressure</source>
            <translation>Druk</translation>
        </message>
        <message>
            <source>Vibration</source>
            <translation>Trilling</translation>
        </message>
        <message>
            <source>Flow</source>
            <translation>Debiet</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Niveau</translation>
        </message>
        <message>
            <source>Good</source>
            <translation>Goed</translation>
        </message>
        <message>
            <source>Uncertain</source>
            <translation>Onzeker</translation>
        </message>
        <message>
            <source>Bad</source>
            <translation>Slecht</translation>
        </message>
        <message>
            <source>Info</source>
            <translation>Info</translation>
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
            <source>Admin</source>
            <translation>Beheerder</translation>
        </message>
        <message>
            <source>Operator</source>
            <translation>Operator</translation>
        </message>
        <message>
            <source>Technician</source>
            <translation>Technicus</translation>
        </message>
        <message>
            <source>Viewer</source>
            <translation>Kijker</translation>
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
            <translation>communicatie verloren</translation>
        </message>
        <message>
            <source>mill error</source>
            <translation>molenstoring</translation>
        </message>
        <message>
            <source>emergency stop</source>
            <translation>noodstop</translation>
        </message>
    </context>
    <context>
        <name>FileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>&amp;Zoeken in:</translation>
        </message>
        <message>
            <source>File &amp;name:</source>
            <translation>Bestands&amp;naam:</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>Bestanden van &amp;type:</translation>
        </message>
    </context>
    <context>
        <name>Theme</name>
        <message>
            <source>Light (control room)</source>
            <translation>Licht (controlekamer)</translation>
        </message>
        <message>
            <source>Dark (night shift)</source>
            <translation>Donker (nachtdienst)</translation>
        </message>
    </context>
    <context>
        <name>Units</name>
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
    </context>
</TS>
