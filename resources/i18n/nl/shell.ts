<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
    <context>
        <name>CrashDialog</name>
        <message>
            <source>Millwatch: unexpected error</source>
            <translation>Millwatch: onverwachte fout</translation>
        </message>
        <message>
            <source>Millwatch hit an unexpected error:
{summary}</source>
            <translation>Millwatch stuitte op een onverwachte fout:
{summary}</translation>
        </message>
        <message>
            <source>The details are in the log:
{where}</source>
            <translation>De details staan in het logbestand:
{where}</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>Logmap openen</translation>
        </message>
        <message>
            <source>Millwatch has to stop. The details are in the log:
{where}</source>
            <translation>Millwatch moet stoppen. De details staan in het logbestand:
{where}</translation>
        </message>
        <message>
            <source>({n} more unexpected error(s) since: see the log)</source>
            <translation>(sindsdien nog {n} onverwachte fout(en): zie het logbestand)</translation>
        </message>
    </context>
    <context>
        <name>EstopButton</name>
        <message>
            <source>Remote stop request to the mill controller. It supplements, and never replaces, the hardwired emergency stop (ISO 13850 / IEC 60204-1).</source>
            <translation>Stopverzoek op afstand aan de molenbesturing. Het vult de bedrade noodstop (ISO 13850 / IEC 60204-1) aan en vervangt die nooit.</translation>
        </message>
        <message>
            <source>Stop {mill}</source>
            <translation>{mill} stoppen</translation>
        </message>
        <message>
            <source>CONFIRM STOP</source>
            <translation>STOP BEVESTIGEN</translation>
        </message>
        <message>
            <source>Confirm stop {mill}</source>
            <translation>Stop van {mill} bevestigen</translation>
        </message>
        <message>
            <source>armed</source>
            <translation>geactiveerd</translation>
        </message>
        <message>
            <source>click, then confirm</source>
            <translation>klik, dan bevestigen</translation>
        </message>
        <message>
            <source>hold {seconds} s</source>
            <translation>{seconds} s ingedrukt houden</translation>
        </message>
        <message>
            <source>STOP</source>
            <translation>STOP</translation>
        </message>
    </context>
    <context>
        <name>EstopCell</name>
        <message>
            <source>Ready</source>
            <translation>Gereed</translation>
        </message>
        <message>
            <source>Stop retrying</source>
            <translation>Herhalen stoppen</translation>
        </message>
        <message>
            <source>Stop re-sending the stop request to this mill's controller</source>
            <translation>Het stopverzoek niet langer opnieuw naar de besturing van deze molen verzenden</translation>
        </message>
        <message>
            <source>Reset latch…</source>
            <translation>Vergrendeling resetten…</translation>
        </message>
        <message>
            <source>Reset this mill's stop latch once the mill is stopped and safe (technician or admin, password and a reason). Reset never starts the mill.</source>
            <translation>De stopvergrendeling van deze molen resetten zodra de molen stilstaat en veilig is (technicus of beheerder, wachtwoord en een reden). Resetten start de molen nooit.</translation>
        </message>
        <message>
            <source>{state} (confirmed by {path})</source>
            <translation>{state} (bevestigd via {path})</translation>
        </message>
        <message>
            <source>{state}: use the hardwired e-stop / local stop</source>
            <translation>{state}: gebruik de bedrade noodstop / lokale stop</translation>
        </message>
        <message>
            <source>Use the hardwired e-stop / local stop</source>
            <translation>Gebruik de bedrade noodstop / lokale stop</translation>
        </message>
        <message>
            <source>Re-sending stopped</source>
            <translation>Herhalen gestopt</translation>
        </message>
    </context>
    <context>
        <name>EstopPanel</name>
        <message>
            <source>Ready</source>
            <translation>Gereed</translation>
        </message>
        <message>
            <source>Sending stop…</source>
            <translation>Stopverzoek wordt verzonden…</translation>
        </message>
        <message>
            <source>Stop sent ({paths}): waiting for the controller</source>
            <translation>Stop verzonden ({paths}): wacht op de besturing</translation>
        </message>
        <message>
            <source>Stop latched (confirmed by {path}): coasting down</source>
            <translation>Stop vergrendeld (bevestigd via {path}): molen loopt uit</translation>
        </message>
        <message>
            <source>Mill stopped (confirmed by {path})</source>
            <translation>Molen gestopt (bevestigd via {path})</translation>
        </message>
        <message>
            <source>E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop (re-sending every second)</source>
            <translation>NOODSTOP NIET BEVESTIGD: gebruik de bedrade noodstop / lokale stop (wordt elke seconde opnieuw verzonden)</translation>
        </message>
        <message>
            <source>E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop (re-sending stopped)</source>
            <translation>NOODSTOP NIET BEVESTIGD: gebruik de bedrade noodstop / lokale stop (opnieuw verzenden gestopt)</translation>
        </message>
        <message>
            <source>E-STOP NOT CONFIRMED: use the hardwired e-stop / local stop</source>
            <translation>NOODSTOP NIET BEVESTIGD: gebruik de bedrade noodstop / lokale stop</translation>
        </message>
        <message>
            <source>Stop latched but the mill is still running: use the hardwired e-stop / local stop</source>
            <translation>Stop vergrendeld, maar de molen draait nog: gebruik de bedrade noodstop / lokale stop</translation>
        </message>
        <message>
            <source>Resetting the stop…</source>
            <translation>Stop wordt gereset…</translation>
        </message>
        <message>
            <source>Stop reset: the mill is stopped; start production separately</source>
            <translation>Stop gereset: de molen staat stil; start de productie apart</translation>
        </message>
        <message>
            <source>Stop request refused or failed: use the hardwired e-stop / local stop</source>
            <translation>Stopverzoek geweigerd of mislukt: gebruik de bedrade noodstop / lokale stop</translation>
        </message>
    </context>
    <context>
        <name>EstopResetDialog</name>
        <message>
            <source>Reset only clears the remote stop latch once the controller reports the mill stopped and safe. It never starts the mill: start production is its own command. Check on site that the mill is safe to restart (guards closed, people clear, hardwired e-stops released) before you reset.</source>
            <translation>Resetten heft de vergrendeling van de stop op afstand pas op wanneer de besturing meldt dat de molen stilstaat en veilig is. Het start de molen nooit: productie starten is een aparte opdracht. Controleer ter plaatse of de molen veilig kan herstarten (afschermingen dicht, niemand in de gevarenzone, bedrade noodstoppen ontgrendeld) voordat u reset.</translation>
        </message>
        <message>
            <source>Reset stop latch — {mill}</source>
            <translation>Stopvergrendeling resetten — {mill}</translation>
        </message>
        <message>
            <source>Reset the stop latch of {mill}</source>
            <translation>Stopvergrendeling van {mill} resetten</translation>
        </message>
        <message>
            <source>Reason (required), e.g. “jam cleared at B2, area checked”</source>
            <translation>Reden (verplicht), bijv. “B2 ontstopt, zone veilig”</translation>
        </message>
        <message>
            <source>Reset latch</source>
            <translation>Vergrendeling resetten</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Sluiten</translation>
        </message>
        <message>
            <source>Sending the reset request…</source>
            <translation>Resetverzoek wordt verzonden…</translation>
        </message>
        <message>
            <source>a reason is required to reset the e-stop</source>
            <translation>een reden is verplicht om de noodstop te resetten</translation>
        </message>
    </context>
    <context>
        <name>LinkStatusBar</name>
        <message>
            <source>up</source>
            <translation>verbonden</translation>
        </message>
        <message>
            <source>down</source>
            <translation>verbroken</translation>
        </message>
        <message>
            <source>degraded</source>
            <translation>beperkt</translation>
        </message>
        <message>
            <source>connecting</source>
            <translation>verbinden</translation>
        </message>
        <message>
            <source>reconnecting</source>
            <translation>opnieuw verbinden</translation>
        </message>
        <message>
            <source>connected</source>
            <translation>verbonden</translation>
        </message>
        <message>
            <source>disconnected</source>
            <translation>verbroken</translation>
        </message>
        <message>
            <source>starting</source>
            <translation>starten</translation>
        </message>
        <message>
            <source>running</source>
            <translation>actief</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>gestopt</translation>
        </message>
        <message>
            <source>online</source>
            <translation>online</translation>
        </message>
        <message>
            <source>offline</source>
            <translation>offline</translation>
        </message>
        <message>
            <source>ok</source>
            <translation>ok</translation>
        </message>
        <message>
            <source>error</source>
            <translation>fout</translation>
        </message>
        <message>
            <source>{rate} readings/s</source>
            <translation>{rate} metingen/s</translation>
        </message>
        <message>
            <source>Data age {n} min</source>
            <translation>Gegevens {n} min oud</translation>
        </message>
        <message>
            <source>Data age &gt; 1 h</source>
            <translation>Gegevens &gt; 1 u oud</translation>
        </message>
        <message>
            <source>No data yet</source>
            <translation>Nog geen gegevens</translation>
        </message>
        <message>
            <source>{link}: {state}</source>
            <translation>{link}: {state}</translation>
        </message>
        <message>
            <source>Data age {n} s</source>
            <translation>Gegevens {n} s oud</translation>
        </message>
    </context>
    <context>
        <name>LockOverlay</name>
        <message>
            <source>Screen locked</source>
            <translation>Scherm vergrendeld</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Wachtwoord</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>Ontgrendelen</translation>
        </message>
        <message>
            <source>Switch user</source>
            <translation>Gebruiker wisselen</translation>
        </message>
        <message>
            <source>Live values, alarms and the emergency stop stay available.</source>
            <translation>Actuele waarden, alarmen en de noodstop blijven beschikbaar.</translation>
        </message>
        <message>
            <source>Locked — {user} ({role}) — enter password to unlock</source>
            <translation>Vergrendeld — {user} ({role}) — voer het wachtwoord in om te ontgrendelen</translation>
        </message>
        <message>
            <source>Locked — nobody is signed in</source>
            <translation>Vergrendeld — niemand aangemeld</translation>
        </message>
        <message>
            <source>Locked at {time}</source>
            <translation>Vergrendeld om {time}</translation>
        </message>
        <message>
            <source>Enter your password.</source>
            <translation>Voer uw wachtwoord in.</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Controleren…</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Mills</source>
            <translation>Molens</translation>
        </message>
        <message>
            <source>Dock back into the main window</source>
            <translation>Terugzetten in het hoofdvenster</translation>
        </message>
        <message>
            <source>Tear off into its own window</source>
            <translation>Losmaken in een eigen venster</translation>
        </message>
    </context>
    <context>
        <name>MillListModel</name>
        <message>
            <source>All mills</source>
            <translation>Alle molens</translation>
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
            <source>{n} {state}</source>
            <translation>{n} {state}</translation>
        </message>
        <message>
            <source>{n} stale</source>
            <translation>{n} verouderd</translation>
        </message>
    </context>
    <context>
        <name>PasswordPrompt</name>
        <message>
            <source>Confirm password</source>
            <translation>Wachtwoord bevestigen</translation>
        </message>
        <message>
            <source>Confirm your password</source>
            <translation>Bevestig uw wachtwoord</translation>
        </message>
        <message>
            <source>To {action}, enter the password for {user}.</source>
            <translation>Voer het wachtwoord van {user} in voor: {action}.</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Wachtwoord</translation>
        </message>
        <message>
            <source>Confirm</source>
            <translation>Bevestigen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuleren</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Controleren…</translation>
        </message>
        <message>
            <source>enter your password</source>
            <translation>voer uw wachtwoord in</translation>
        </message>
    </context>
    <context>
        <name>Placeholder</name>
        <message>
            <source>{screen} is open in its own window.</source>
            <translation>{screen} is geopend in een eigen venster.</translation>
        </message>
        <message>
            <source>Show window</source>
            <translation>Venster tonen</translation>
        </message>
        <message>
            <source>Dock back here</source>
            <translation>Hier terugzetten</translation>
        </message>
    </context>
    <context>
        <name>QuickSearch</name>
        <message>
            <source>SCREEN</source>
            <translation>SCHERM</translation>
        </message>
        <message>
            <source>MILL</source>
            <translation>MOLEN</translation>
        </message>
        <message>
            <source>SENSOR</source>
            <translation>SENSOR</translation>
        </message>
        <message>
            <source>↑↓ choose · Enter open · Esc close</source>
            <translation>↑↓ kiezen · Enter openen · Esc sluiten</translation>
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
            <source>Screen</source>
            <translation>Scherm</translation>
        </message>
        <message>
            <source>Mill</source>
            <translation>Molen</translation>
        </message>
        <message>
            <source>Search mills, sensors (name, EUI, location, type) and screens…</source>
            <translation>Zoek molens, sensoren (naam, EUI, locatie, type) en schermen…</translation>
        </message>
        <message>
            <source>Quick search</source>
            <translation>Snel zoeken</translation>
        </message>
    </context>
    <context>
        <name>Screens</name>
        <message>
            <source>Overview</source>
            <translation>Overzicht</translation>
        </message>
        <message>
            <source>Sensors</source>
            <translation>Sensoren</translation>
        </message>
        <message>
            <source>Alarms</source>
            <translation>Alarmen</translation>
        </message>
        <message>
            <source>Journal</source>
            <translation>Logboek</translation>
        </message>
        <message>
            <source>Users</source>
            <translation>Gebruikers</translation>
        </message>
        <message>
            <source>Audit</source>
            <translation>Audit</translation>
        </message>
        <message>
            <source>Schematics</source>
            <translation>Schema's</translation>
        </message>
        <message>
            <source>Trends</source>
            <translation>Trends</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>Configuratie</translation>
        </message>
        <message>
            <source>Tools</source>
            <translation>Hulpmiddelen</translation>
        </message>
    </context>
    <context>
        <name>SessionAlarmActions</name>
        <message>
            <source>nobody is signed in on this workstation</source>
            <translation>niemand is aangemeld op dit werkstation</translation>
        </message>
        <message>
            <source>{user} is not signed in on this workstation</source>
            <translation>{user} is niet aangemeld op dit werkstation</translation>
        </message>
    </context>
    <context>
        <name>SessionController</name>
        <message>
            <source>nobody is signed in: sign in first</source>
            <translation>niemand is aangemeld: meld u eerst aan</translation>
        </message>
        <message>
            <source>the database is unreachable or refused the request: {detail}</source>
            <translation>de database is onbereikbaar of weigerde het verzoek: {detail}</translation>
        </message>
        <message>
            <source>signed out</source>
            <translation>afgemeld</translation>
        </message>
        <message>
            <source>shift handover: {user} signed out, next user please sign in</source>
            <translation>ploegwissel: {user} is afgemeld, volgende gebruiker graag aanmelden</translation>
        </message>
        <message>
            <source>switch user</source>
            <translation>gebruiker wisselen</translation>
        </message>
        <message>
            <source>could not check the password: {error}</source>
            <translation>het wachtwoord kon niet worden gecontroleerd: {error}</translation>
        </message>
        <message>
            <source>nobody is signed in: sign in first to {action}</source>
            <translation>niemand is aangemeld; meld u eerst aan voor: {action}</translation>
        </message>
        <message>
            <source>the screen is locked: unlock it first</source>
            <translation>het scherm is vergrendeld: ontgrendel het eerst</translation>
        </message>
        <message>
            <source>the session changed: start again</source>
            <translation>de sessie is gewijzigd: begin opnieuw</translation>
        </message>
        <message>
            <source>{user} is signed out: sign in again</source>
            <translation>{user} is afgemeld: meld u opnieuw aan</translation>
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
            <source>asks for your password first</source>
            <translation>vraagt eerst om uw wachtwoord</translation>
        </message>
        <message>
            <source>could not reach the user database: {error}</source>
            <translation>de gebruikersdatabase is niet bereikbaar: {error}</translation>
        </message>
    </context>
    <context>
        <name>SessionShell</name>
        <message>
            <source>Session ▾</source>
            <translation>Sessie ▾</translation>
        </message>
        <message>
            <source>Session, theme, language and keyboard shortcuts</source>
            <translation>Sessie, thema, taal en sneltoetsen</translation>
        </message>
        <message>
            <source>Lock screen</source>
            <translation>Scherm vergrendelen</translation>
        </message>
        <message>
            <source>Switch user…</source>
            <translation>Gebruiker wisselen…</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>Afmelden</translation>
        </message>
        <message>
            <source>Setup wizard…</source>
            <translation>Installatiewizard…</translation>
        </message>
        <message>
            <source>About Millwatch</source>
            <translation>Over Millwatch</translation>
        </message>
        <message>
            <source>Theme</source>
            <translation>Thema</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Taal</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Sneltoetsen</translation>
        </message>
        <message>
            <source>Screens in tab order</source>
            <translation>Schermen in tabvolgorde</translation>
        </message>
        <message>
            <source>Tear a screen off: right-click its tab</source>
            <translation>Scherm losmaken: rechtsklik op het tabblad</translation>
        </message>
        <message>
            <source>Millwatch HMI {version}

The remote stop of this software supplements, and never replaces, the mill's hardwired emergency stop.</source>
            <translation>Millwatch HMI {version}

De stop op afstand van deze software vult de bedrade noodstop van de molen aan en vervangt die nooit.</translation>
        </message>
        <message>
            <source>not signed in</source>
            <translation>niet aangemeld</translation>
        </message>
    </context>
    <context>
        <name>SignInWidget</name>
        <message>
            <source>Workstation {host}</source>
            <translation>Werkstation {host}</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>Aanmelden</translation>
        </message>
        <message>
            <source>Username</source>
            <translation>Gebruikersnaam</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Wachtwoord</translation>
        </message>
        <message>
            <source>Forgotten password or locked account? Ask an administrator.</source>
            <translation>Wachtwoord vergeten of account geblokkeerd? Vraag het een beheerder.</translation>
        </message>
        <message>
            <source>Choose a new password</source>
            <translation>Kies een nieuw wachtwoord</translation>
        </message>
        <message>
            <source>Change password</source>
            <translation>Wachtwoord wijzigen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuleren</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>Nieuw wachtwoord</translation>
        </message>
        <message>
            <source>Repeat new password</source>
            <translation>Herhaal het nieuwe wachtwoord</translation>
        </message>
        <message>
            <source>enter your username</source>
            <translation>voer uw gebruikersnaam in</translation>
        </message>
        <message>
            <source>enter your password</source>
            <translation>voer uw wachtwoord in</translation>
        </message>
        <message>
            <source>Signing in…</source>
            <translation>Aanmelden…</translation>
        </message>
        <message>
            <source>You may try again.</source>
            <translation>U kunt het opnieuw proberen.</translation>
        </message>
        <message>
            <source>Wait {n} s before trying again.</source>
            <translation>Wacht {n} s voordat u het opnieuw probeert.</translation>
        </message>
        <message>
            <source>The password of {user} is temporary: replace it to continue.</source>
            <translation>Het wachtwoord van {user} is tijdelijk: vervang het om verder te gaan.</translation>
        </message>
        <message>
            <source>the new password must differ from the temporary one</source>
            <translation>het nieuwe wachtwoord moet verschillen van het tijdelijke</translation>
        </message>
        <message>
            <source>At least {n} characters, not containing your username.</source>
            <translation>Minstens {n} tekens, zonder uw gebruikersnaam.</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>De twee wachtwoorden verschillen.</translation>
        </message>
        <message>
            <source>Good. Now repeat it.</source>
            <translation>Goed. Herhaal het nu.</translation>
        </message>
        <message>
            <source>Good: the passwords match.</source>
            <translation>Goed: de wachtwoorden komen overeen.</translation>
        </message>
        <message>
            <source>The two passwords differ: repeat the new password.</source>
            <translation>De twee wachtwoorden verschillen: herhaal het nieuwe wachtwoord.</translation>
        </message>
        <message>
            <source>Changing the password…</source>
            <translation>Wachtwoord wordt gewijzigd…</translation>
        </message>
        <message>
            <source>Signed out: the temporary password was not changed.</source>
            <translation>Afgemeld: het tijdelijke wachtwoord is niet gewijzigd.</translation>
        </message>
        <message>
            <source>Cannot sign in now: {error}</source>
            <translation>Aanmelden is nu niet mogelijk: {error}</translation>
        </message>
    </context>
    <context>
        <name>SignInWindow</name>
        <message>
            <source>{product} — sign in</source>
            <translation>{product} — aanmelden</translation>
        </message>
    </context>
    <context>
        <name>WindowActions</name>
        <message>
            <source>Acknowledge top alarm</source>
            <translation>Bovenste alarm bevestigen</translation>
        </message>
        <message>
            <source>Next unacknowledged alarm</source>
            <translation>Volgend onbevestigd alarm</translation>
        </message>
        <message>
            <source>Silence horn</source>
            <translation>Hoorn uit</translation>
        </message>
        <message>
            <source>Quick search…</source>
            <translation>Snel zoeken…</translation>
        </message>
        <message>
            <source>Full screen</source>
            <translation>Volledig scherm</translation>
        </message>
        <message>
            <source>Screen {n}</source>
            <translation>Scherm {n}</translation>
        </message>
        <message>
            <source>Show {screen}</source>
            <translation>{screen} tonen</translation>
        </message>
    </context>
    <context>
        <name>Workspace</name>
        <message>
            <source>nobody is signed in: sign in to start production</source>
            <translation>niemand is aangemeld: meld u aan om de productie te starten</translation>
        </message>
        <message>
            <source>nobody is signed in</source>
            <translation>niemand is aangemeld</translation>
        </message>
        <message>
            <source>Reset requested: waiting for the controller to report the mill safe…</source>
            <translation>Reset aangevraagd: wacht tot de besturing meldt dat de molen veilig is…</translation>
        </message>
        <message>
            <source>reset the stop latch of {mill}</source>
            <translation>stopvergrendeling van {mill} resetten</translation>
        </message>
        <message>
            <source>Latch reset: the controller reports the mill safe. The mill stays stopped until production is started.</source>
            <translation>Vergrendeling gereset: de besturing meldt dat de molen veilig is. De molen blijft stilstaan totdat de productie wordt gestart.</translation>
        </message>
        <message>
            <source>the controller did not accept the reset</source>
            <translation>de besturing heeft de reset niet geaccepteerd</translation>
        </message>
        <message>
            <source>only technicians and admins may use the commissioning tools</source>
            <translation>alleen technici en beheerders mogen de hulpmiddelen voor inbedrijfstelling gebruiken</translation>
        </message>
        <message>
            <source>Source set to {url}: check the form and save.</source>
            <translation>Bron ingesteld op {url}: controleer het formulier en sla het op.</translation>
        </message>
    </context>
</TS>
