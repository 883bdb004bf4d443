<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr_FR">
<context>
    <name>AccessDialog</name>
    <message>
        <source>Créer un accès</source>
        <extracomment>Which field a server refusal belongs to (&quot;&quot; is the general line under the form).</extracomment>
        <translation>Create an access</translation>
    </message>
    <message>
        <source>prenom.nom@exemple.fr</source>
        <translation>firstname.lastname@example.com</translation>
    </message>
    <message>
        <source>Choisissez un établissement…</source>
        <translation>Choose an establishment…</translation>
    </message>
    <message>
        <source>&amp;Prénom</source>
        <translation>&amp;First name</translation>
    </message>
    <message>
        <source>&amp;Nom</source>
        <translation>&amp;Last name</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;Email</translation>
    </message>
    <message>
        <source>É&amp;tablissement</source>
        <translation>Es&amp;tablishment</translation>
    </message>
    <message>
        <source>Droits (tous accordés : décochez ceux qui ne sont pas voulus)</source>
        <translation>Rights (all granted: untick those not wanted)</translation>
    </message>
    <message>
        <source>Créer l&apos;accès</source>
        <translation>Create the access</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Saisissez l&apos;adresse e-mail de la personne.</source>
        <translation>Enter the person&apos;s email address.</translation>
    </message>
    <message>
        <source>Accordez au moins un droit sur l&apos;établissement.</source>
        <translation>Grant at least one right on the establishment.</translation>
    </message>
    <message>
        <source>Choisissez un établissement.</source>
        <translation>Choose an establishment.</translation>
    </message>
    <message>
        <source>Création…</source>
        <translation>Creating…</translation>
    </message>
</context>
<context>
    <name>AdvanceBadge</name>
    <message>
        <source>%1 à traiter</source>
        <extracomment>The item data holding the count (an int; 0 or None: no badge).</extracomment>
        <translation>%1 to process</translation>
    </message>
</context>
<context>
    <name>AdvanceHistoryTab</name>
    <message>
        <source>Voir le détail</source>
        <translation>View details</translation>
    </message>
    <message>
        <source>Exporter (CSV)…</source>
        <translation>Export (CSV)…</translation>
    </message>
    <message>
        <source>Fichier de paie (acomptes acceptés)…</source>
        <translation>Payroll file (accepted advances)…</translation>
    </message>
    <message>
        <source>Les acomptes acceptés pendant la période filtrée (le mois en cours sans dates), à déduire de la prochaine paie.</source>
        <translation>Advances accepted during the filtered period (the current month without dates), to deduct from the next pay.</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>demande traitée</source>
        <translation>processed request</translation>
    </message>
    <message>
        <source>demandes traitées</source>
        <translation>processed requests</translation>
    </message>
    <message>
        <source>Exporter l&apos;historique des demandes</source>
        <translation>Export the request history</translation>
    </message>
    <message>
        <source>Export de l&apos;historique…</source>
        <translation>Exporting the history…</translation>
    </message>
    <message>
        <source>Fichier de paie des acomptes acceptés</source>
        <translation>Payroll file of accepted advances</translation>
    </message>
    <message>
        <source>Préparation du fichier de paie…</source>
        <translation>Preparing the payroll file…</translation>
    </message>
    <message>
        <source>%1 Période : %2 – %3.</source>
        <translation>%1 Period: %2 – %3.</translation>
    </message>
</context>
<context>
    <name>AdvanceModel</name>
    <message>
        <source>Date</source>
        <extracomment>Columns whose text is an amount (right-aligned).
----------
The total once the first page arrived.</extracomment>
        <translation>Date</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Demandé</source>
        <translation>Asked</translation>
    </message>
    <message>
        <source>Accordé</source>
        <translation>Granted</translation>
    </message>
    <message>
        <source>Décision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Montant demandé</source>
        <translation>Amount asked</translation>
    </message>
    <message>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Demandée le</source>
        <translation>Requested on</translation>
    </message>
    <message>
        <source>Traitée le</source>
        <translation>Processed on</translation>
    </message>
    <message>
        <source>Salarié</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>Montant accordé</source>
        <translation>Amount granted</translation>
    </message>
    <message>
        <source>Traitée par</source>
        <translation>Processed by</translation>
    </message>
    <message>
        <source>Voir le détail</source>
        <extracomment>The server&apos;s sort key (domain.advances.HISTORY_SORTS) of each column; None: not sortable. The sort in force changed (column, order): the view moves its header indicator.</extracomment>
        <translation>View details</translation>
    </message>
</context>
<context>
    <name>AdvancePane</name>
    <message>
        <source>Aucune donnée de paie pour la période : seul le plafond de l&apos;agence s&apos;applique. Plafond %1, déjà accordé %2.</source>
        <extracomment>422 codes about the amount (domain AmountError codes, &quot;amount_above_asked&quot;): said under the amount.</extracomment>
        <translation>No payroll data for the period: only the agency&apos;s ceiling applies. Ceiling %1, already granted %2.</translation>
    </message>
    <message>
        <source> du %1 au %2</source>
        <translation> from %1 to %2</translation>
    </message>
    <message>
        <source>%1 % du net gagné%2 (%3) = %4 ; plafond de l&apos;agence %5 ; déjà accordé sur la période %6.</source>
        <translation>%1 % of the net earned%2 (%3) = %4; agency ceiling %5; already granted in the period %6.</translation>
    </message>
    <message>
        <source>Fermer</source>
        <extracomment>The id of the request whose title and fields are shown (its detail may still be loading). The id of the request whose decision is on its way, if any.</extracomment>
        <translation>Close</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Demandée le</source>
        <translation>Requested on</translation>
    </message>
    <message>
        <source>Montant demandé</source>
        <translation>Amount asked</translation>
    </message>
    <message>
        <source>Maximum possible</source>
        <translation>Maximum possible</translation>
    </message>
    <message>
        <source>Commentaire du salarié</source>
        <translation>Employee&apos;s comment</translation>
    </message>
    <message>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Décision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Demandes précédentes du salarié</source>
        <translation>Employee&apos;s previous requests</translation>
    </message>
    <message>
        <source>Aucune autre demande.</source>
        <translation>No other request.</translation>
    </message>
    <message>
        <source>Aucune demande sélectionnée</source>
        <translation>No request selected</translation>
    </message>
    <message>
        <source>Impossible d&apos;afficher la demande : %1</source>
        <translation>Cannot show the request: %1</translation>
    </message>
    <message>
        <source>(aucun commentaire)</source>
        <translation>(no comment)</translation>
    </message>
    <message>
        <source>Annulée par le salarié le %1.</source>
        <translation>Cancelled by the employee on %1.</translation>
    </message>
    <message>
        <source>%1 accordés. </source>
        <translation>%1 granted. </translation>
    </message>
    <message>
        <source>Par %1 le %2.</source>
        <translation>By %1 on %2.</translation>
    </message>
    <message>
        <source>Indiquez le motif du refus au salarié.</source>
        <translation>Give the employee the reason for the refusal.</translation>
    </message>
    <message>
        <source>Accepter la demande de %1 pour %2 ?</source>
        <translation>Accept the request of %1 for %2?</translation>
    </message>
    <message>
        <source>Refuser la demande de %1 ?</source>
        <translation>Refuse the request of %1?</translation>
    </message>
    <message>
        <source>Traiter la demande</source>
        <translation>Process the request</translation>
    </message>
    <message>
        <source>Le salarié sera prévenu par e-mail.</source>
        <translation>The employee will be notified by email.</translation>
    </message>
</context>
<context>
    <name>AdvancePolicyDialog</name>
    <message>
        <source>Règles d&apos;acompte — %1</source>
        <translation>Advance rules — %1</translation>
    </message>
    <message>
        <source>Le maximum qu&apos;un salarié peut demander est le pourcentage ci-dessous du net gagné sur les heures déclarées depuis la dernière paie, moins les acomptes déjà accordés sur la période, dans la limite du plafond. Sans donnée de paie, seul le plafond s&apos;applique.</source>
        <translation>The maximum an employee may ask is the percentage below of the net earned on the hours declared since the last pay, minus the advances already granted in the period, within the ceiling. Without payroll data, only the ceiling applies.</translation>
    </message>
    <message>
        <source>par exemple 800 ou 800,50</source>
        <translation>for example 800 or 800.50</translation>
    </message>
    <message>
        <source>Pourcentage du net gagné</source>
        <translation>Percentage of the net earned</translation>
    </message>
    <message>
        <source>Plafond par période (€)</source>
        <translation>Ceiling per period (€)</translation>
    </message>
    <message>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Indiquez le plafond en euros.</source>
        <translation>Enter the ceiling in euros.</translation>
    </message>
</context>
<context>
    <name>AdvanceTray</name>
    <message>
        <source>1 nouvelle demande d&apos;acompte</source>
        <translation>1 new salary advance request</translation>
    </message>
    <message>
        <source>%1 nouvelles demandes d&apos;acompte</source>
        <translation>%1 new salary advance requests</translation>
    </message>
    <message>
        <source>Demandes d&apos;acomptes</source>
        <translation>Salary advance requests</translation>
    </message>
</context>
<context>
    <name>AdvanceWidgets</name>
    <message>
        <source>Montant maximum</source>
        <extracomment>The earliest date of the date edits, shown as &quot;—&quot;: no bound on that side. Typing a date changes it once per keystroke: the list reloads once the typing pauses.</extracomment>
        <translation>Maximum amount</translation>
    </message>
    <message>
        <source>Annulée</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Envoyée</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>%1 octets écrits…</source>
        <translation>%1 bytes written…</translation>
    </message>
    <message>
        <source>Fichier enregistré : %1 (%2 octets).</source>
        <translation>File saved: %1 (%2 bytes).</translation>
    </message>
</context>
<context>
    <name>AdvancesPage</name>
    <message>
        <source>Demandes à traiter</source>
        <translation>Requests to process</translation>
    </message>
    <message>
        <source>Historique des demandes</source>
        <translation>Request history</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Actualiser (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Règles de l&apos;agence…</source>
        <translation>Agency rules…</translation>
    </message>
    <message>
        <source>Pourcentage du net gagné et plafond des acomptes (droit « A » sur l&apos;agence choisie)</source>
        <translation>Percentage of the net earned and ceiling of advances (right “A” on the chosen agency)</translation>
    </message>
    <message>
        <source>Aucune demande à traiter.</source>
        <translation>No request to process.</translation>
    </message>
    <message>
        <source>Traiter la demande</source>
        <translation>Process the request</translation>
    </message>
    <message>
        <source>Traiter la demande sélectionnée (Entrée)</source>
        <translation>Process the selected request (Enter)</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>demande à traiter</source>
        <translation>request to process</translation>
    </message>
    <message>
        <source>demandes à traiter</source>
        <translation>requests to process</translation>
    </message>
    <message>
        <source>Règles de l&apos;agence enregistrées.</source>
        <translation>Agency rules saved.</translation>
    </message>
    <message>
        <source>Demande de %1 : %2.</source>
        <translation>Request of %1: %2.</translation>
    </message>
</context>
<context>
    <name>AgencySelector</name>
    <message>
        <source>Toutes mes agences</source>
        <translation>All my agencies</translation>
    </message>
</context>
<context>
    <name>AgencyTree</name>
    <message>
        <source>Société de l&apos;entité {brand}</source>
        <extracomment>The ticked agencies changed (by the user or in code).</extracomment>
        <translation>Company of the entity {brand}</translation>
    </message>
</context>
<context>
    <name>AppFlow</name>
    <message>
        <source>Connexion au serveur…</source>
        <extracomment>The cached window&apos;s address until the embedded server is up (its port changes at each start).</extracomment>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>Création du groupe de démonstration…</source>
        <translation>Creating the demo group…</translation>
    </message>
    <message>
        <source>Démarrage du serveur local…</source>
        <translation>Starting the local server…</translation>
    </message>
    <message>
        <source>Reprise de la session…</source>
        <extracomment>The main window shows the cached profile and the server has not confirmed the session yet.</extracomment>
        <translation>Resuming your session…</translation>
    </message>
    <message>
        <source>Le serveur n&apos;a pas pu être joint à cause d&apos;une erreur inattendue.</source>
        <translation>The server could not be reached because of an unexpected error.</translation>
    </message>
    <message>
        <source>Serveur injoignable</source>
        <translation>Server unreachable</translation>
    </message>
    <message>
        <source>Serveur indisponible</source>
        <translation>Server unavailable</translation>
    </message>
    <message>
        <source>Réessayer</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Changer de connexion</source>
        <translation>Change connection</translation>
    </message>
    <message>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Serveur local (démonstration)</source>
        <translation>Local server (demo)</translation>
    </message>
    <message>
        <source>Serveur local</source>
        <translation>Local server</translation>
    </message>
</context>
<context>
    <name>AssignRecipientDialog</name>
    <message>
        <source>Attribuer un destinataire</source>
        <translation>Assign a recipient</translation>
    </message>
    <message>
        <source>Destinataire des {count} fichiers sélectionnés :</source>
        <translation>Recipient of the {count} selected files:</translation>
    </message>
    <message>
        <source>Destinataire du fichier sélectionné :</source>
        <translation>Recipient of the selected file:</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CampaignDetailDialog</name>
    <message>
        <source>Détail de la diffusion « %1 »</source>
        <translation>Campaign details: “%1”</translation>
    </message>
    <message>
        <source>Remises par jour</source>
        <translation>Deliveries per day</translation>
    </message>
    <message>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Enregistrer en CSV…</source>
        <translation>Save as CSV…</translation>
    </message>
    <message>
        <source>Recevoir par e-mail</source>
        <translation>Receive by e-mail</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Marque</source>
        <translation>Brand</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Déclencheurs</source>
        <translation>Triggers</translation>
    </message>
    <message>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Non fixé</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>Fin</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Jusqu&apos;à la clôture</source>
        <translation>Until closed</translation>
    </message>
    <message>
        <source>Diffusion signée</source>
        <translation>Signed delivery</translation>
    </message>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Non</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Créée par</source>
        <translation>Created by</translation>
    </message>
    <message>
        <source>Rétroactive depuis</source>
        <translation>Backdated to</translation>
    </message>
    <message>
        <source>Clôturée le</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Aucun</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>destinataire</source>
        <translation>recipient</translation>
    </message>
    <message>
        <source>destinataires</source>
        <translation>recipients</translation>
    </message>
    <message>
        <source>Enregistrer les destinataires</source>
        <translation>Save the recipients</translation>
    </message>
    <message>
        <source>Fichier CSV (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>Export des destinataires…</source>
        <translation>Exporting the recipients…</translation>
    </message>
    <message>
        <source>La liste des destinataires vous sera envoyée par e-mail dans quelques instants.</source>
        <translation>The list of recipients will be e-mailed to you shortly.</translation>
    </message>
</context>
<context>
    <name>CampaignModel</name>
    <message>
        <source>Bulletins de paie</source>
        <translation>Payslips</translation>
    </message>
    <message>
        <source>cadres</source>
        <translation>executives</translation>
    </message>
    <message>
        <source>non-cadres</source>
        <translation>non-executives</translation>
    </message>
    <message>
        <source>Contrats</source>
        <translation>Contracts</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Déclencheurs</source>
        <translation>Triggers</translation>
    </message>
    <message>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Fin</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Remises</source>
        <translation>Deliveries</translation>
    </message>
    <message>
        <source>Sans fin</source>
        <translation>No end</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Remis le</source>
        <translation>Delivered on</translation>
    </message>
</context>
<context>
    <name>CampaignWizard</name>
    <message>
        <source>Lancer la diffusion</source>
        <extracomment>The campaign to copy when saving (duplicate mode, until the copy exists).</extracomment>
        <translation>Launch the campaign</translation>
    </message>
    <message>
        <source>Sauvegarder</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Suivant &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>&lt; Précédent</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Dupliquer la diffusion</source>
        <translation>Duplicate the campaign</translation>
    </message>
    <message>
        <source>Diffusion « %1 »</source>
        <translation>Campaign “%1”</translation>
    </message>
    <message>
        <source>Créer une diffusion</source>
        <translation>Create a campaign</translation>
    </message>
    <message>
        <source>La date de fin d&apos;une diffusion lancée ne peut pas être passée.</source>
        <translation>The end date of a launched campaign cannot be in the past.</translation>
    </message>
    <message>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <source>bulletins de paie</source>
        <translation>payslips</translation>
    </message>
    <message>
        <source>contrats</source>
        <translation>contracts</translation>
    </message>
    <message>
        <source>Cible</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Déclencheurs</source>
        <translation>Triggers</translation>
    </message>
    <message>
        <source>Salariés</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>Contrats de mission pour</source>
        <translation>Assignment contracts for</translation>
    </message>
    <message>
        <source>Envoi à une date antérieure</source>
        <translation>Backdated sending</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Diffusion signée</source>
        <translation>Signed delivery</translation>
    </message>
    <message>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Fin</source>
        <translation>End</translation>
    </message>
    <message>
        <source>jusqu&apos;à la clôture</source>
        <translation>until closed</translation>
    </message>
    <message>
        <source>Enregistrement de la diffusion…</source>
        <translation>Saving the campaign…</translation>
    </message>
    <message>
        <source>Lancer la diffusion « %1 » à partir du %2 ? Une diffusion lancée ne peut plus être modifiée, seulement clôturée.</source>
        <translation>Launch the campaign “%1” from %2? A launched campaign can no longer be edited, only closed.</translation>
    </message>
    <message>
        <source>Lancement de la diffusion…</source>
        <translation>Launching the campaign…</translation>
    </message>
    <message>
        <source>Envoi de %1 (%2 / %3)…</source>
        <translation>Uploading %1 (%2 / %3)…</translation>
    </message>
    <message>
        <source>Rechargement…</source>
        <translation>Reloading…</translation>
    </message>
    <message>
        <source>La diffusion a été rechargée : vérifiez-la avant de continuer.</source>
        <translation>The campaign has been reloaded: check it before continuing.</translation>
    </message>
    <message>
        <source>Supprimer la diffusion</source>
        <translation>Delete the campaign</translation>
    </message>
    <message>
        <source>Supprimer définitivement la diffusion « %1 » et ses documents ?</source>
        <translation>Permanently delete the campaign “%1” and its documents?</translation>
    </message>
    <message>
        <source>Suppression…</source>
        <translation>Deleting…</translation>
    </message>
</context>
<context>
    <name>CampaignsPage</name>
    <message>
        <source>Créer une diffusion</source>
        <extracomment>Tab order: the state each tab lists.</extracomment>
        <translation>Create a campaign</translation>
    </message>
    <message>
        <source>En cours</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>Archivées</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Sauvegardées</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>Voir les documents</source>
        <translation>View the documents</translation>
    </message>
    <message>
        <source>Détail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Dupliquer</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Modifier</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Clôturer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Diffusion Agence</source>
        <translation>Agency campaign</translation>
    </message>
    <message>
        <source>Diffusion Marque</source>
        <translation>Brand campaign</translation>
    </message>
    <message>
        <source>diffusion en cours</source>
        <translation>running campaign</translation>
    </message>
    <message>
        <source>diffusions en cours</source>
        <translation>running campaigns</translation>
    </message>
    <message>
        <source>diffusion planifiée</source>
        <translation>scheduled campaign</translation>
    </message>
    <message>
        <source>diffusions planifiées</source>
        <translation>scheduled campaigns</translation>
    </message>
    <message>
        <source>remise à un salarié</source>
        <translation>delivery to an employee</translation>
    </message>
    <message>
        <source>remises aux salariés</source>
        <translation>deliveries to employees</translation>
    </message>
    <message>
        <source>Ouverture du document…</source>
        <translation>Opening the document…</translation>
    </message>
    <message>
        <source>Clôturer la diffusion</source>
        <translation>Close the campaign</translation>
    </message>
    <message>
        <source>Clôturer « %1 » ? Ses documents ne seront plus remis aux salariés.</source>
        <translation>Close “%1”? Its documents will no longer be delivered to employees.</translation>
    </message>
    <message>
        <source>« %1 » est clôturée.</source>
        <translation>“%1” is closed.</translation>
    </message>
    <message>
        <source>« %1 » est enregistrée.</source>
        <translation>“%1” is saved.</translation>
    </message>
</context>
<context>
    <name>ChosenRecipients</name>
    <message>
        <source>Aucun : chaque fichier va au destinataire de son matricule.</source>
        <translation>None: each file goes to the recipient with its employee ID.</translation>
    </message>
    <message>
        <source>Retirer {name} des destinataires choisis</source>
        <translation>Remove {name} from the chosen recipients</translation>
    </message>
</context>
<context>
    <name>ClientModels</name>
    <message>
        <source>Activé</source>
        <translation>Activated</translation>
    </message>
    <message>
        <source>Invité</source>
        <translation>Invited</translation>
    </message>
    <message>
        <source>Non activé</source>
        <translation>Not activated</translation>
    </message>
    <message>
        <source>Consulter les contrats</source>
        <translation>View contracts</translation>
    </message>
    <message>
        <source>Signer les contrats</source>
        <translation>Sign contracts</translation>
    </message>
    <message>
        <source>Factures</source>
        <translation>Invoices</translation>
    </message>
    <message>
        <source>Relevés d&apos;heures</source>
        <translation>Timesheets</translation>
    </message>
    <message>
        <source>Consulter
les contrats</source>
        <translation>View
contracts</translation>
    </message>
    <message>
        <source>Signer
les contrats</source>
        <translation>Sign
contracts</translation>
    </message>
    <message>
        <source>Relevés
d&apos;heures</source>
        <translation>Time-
sheets</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Création</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Activated on</translation>
    </message>
    <message>
        <source>Utilisateurs
activés</source>
        <translation>Activated
users</translation>
    </message>
    <message>
        <source>SIRET : </source>
        <translation>SIRET: </translation>
    </message>
    <message>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Accès</source>
        <translation>Access</translation>
    </message>
    <message>
        <source>Relancer (Ctrl+R)</source>
        <translation>Remind (Ctrl+R)</translation>
    </message>
    <message>
        <source>Supprimer (Suppr)</source>
        <translation>Delete (Del)</translation>
    </message>
    <message>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Activé le </source>
        <translation>Activated on </translation>
    </message>
    <message>
        <source>Relancer : renvoyer l&apos;invitation (Ctrl+R)</source>
        <translation>Remind: send the invitation again (Ctrl+R)</translation>
    </message>
    <message>
        <source>Supprimer l&apos;utilisateur (Suppr)</source>
        <translation>Delete the user (Del)</translation>
    </message>
</context>
<context>
    <name>ClientReminderRun</name>
    <message>
        <source>Relance des clients</source>
        <extracomment>&quot;Annuler&quot; hides the dialog at once; the run ends after the request under way.</extracomment>
        <translation>Reminding clients</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Relance en cours… %1 / %2 clients</source>
        <translation>Reminding… %1 / %2 clients</translation>
    </message>
</context>
<context>
    <name>ClientReminders</name>
    <message>
        <source>utilisateur relancé</source>
        <translation>user reminded</translation>
    </message>
    <message>
        <source>utilisateurs relancés</source>
        <translation>users reminded</translation>
    </message>
    <message>
        <source>client relancé</source>
        <translation>client reminded</translation>
    </message>
    <message>
        <source>clients relancés</source>
        <translation>clients reminded</translation>
    </message>
    <message>
        <source>déjà relancé : possible à partir du %1 à %2</source>
        <translation>already reminded: possible from %1 at %2</translation>
    </message>
    <message>
        <source>personne à relancer</source>
        <translation>nobody to remind</translation>
    </message>
    <message>
        <source>Non relancés : </source>
        <translation>Not reminded: </translation>
    </message>
    <message>
        <source>Relance arrêtée à votre demande.</source>
        <translation>Reminders stopped at your request.</translation>
    </message>
    <message>
        <source>Relance interrompue par une erreur.</source>
        <translation>Reminders interrupted by an error.</translation>
    </message>
    <message>
        <source>Relancer de nouveau continue sans risque : les utilisateurs déjà relancés sont ignorés.</source>
        <translation>Starting again is safe: users already reminded are skipped.</translation>
    </message>
</context>
<context>
    <name>ClientUserDialog</name>
    <message>
        <source>Ajouter un utilisateur — %1</source>
        <extracomment>Server codes that concern the email: the dialog goes back to its first step to fix it. The server&apos;s limits (its columns: e-mail 254, names 80), so that a longer text cannot be typed at all.</extracomment>
        <translation>Add a user — %1</translation>
    </message>
    <message>
        <source>prenom.nom@entreprise.fr</source>
        <translation>firstname.lastname@company.com</translation>
    </message>
    <message>
        <source>&amp;Adresse e-mail :</source>
        <translation>&amp;Email address:</translation>
    </message>
    <message>
        <source>&amp;Civilité :</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <source>&amp;Prénom :</source>
        <translation>&amp;First name:</translation>
    </message>
    <message>
        <source>&amp;Nom :</source>
        <translation>&amp;Last name:</translation>
    </message>
    <message>
        <source>Droits de l&apos;utilisateur :</source>
        <translation>User&apos;s rights:</translation>
    </message>
    <message>
        <source>&lt; &amp;Précédent</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>&amp;Suivant &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Adresse e-mail invalide : « %1 ».</source>
        <translation>Invalid email address: “%1”.</translation>
    </message>
    <message>
        <source>Indiquez le prénom et le nom de l&apos;utilisateur.</source>
        <translation>Enter the user&apos;s first and last name.</translation>
    </message>
    <message>
        <source>L&apos;utilisateur n&apos;a pas pu être ajouté.</source>
        <translation>The user could not be added.</translation>
    </message>
</context>
<context>
    <name>ClientUsersPane</name>
    <message>
        <source>Ajouter un utilisateur</source>
        <translation>Add a user</translation>
    </message>
    <message>
        <source>Ajouter un utilisateur à ce client (Ctrl+N)</source>
        <translation>Add a user to this client (Ctrl+N)</translation>
    </message>
    <message>
        <source>Choisissez un client pour voir ses utilisateurs.</source>
        <translation>Choose a client to see its users.</translation>
    </message>
    <message>
        <source> — activé le %1</source>
        <translation> — activated on %1</translation>
    </message>
    <message>
        <source>%1 — créé le %2</source>
        <translation>%1 — created on %2</translation>
    </message>
    <message>
        <source>Ce client n&apos;a encore aucun utilisateur. « Ajouter un utilisateur » lui en donne un.</source>
        <extracomment>The shown client no longer exists (or is no longer served here): the list must be reloaded.</extracomment>
        <translation>This client has no user yet. “Add a user” gives it one.</translation>
    </message>
    <message>
        <source>« %1 » accordé à %2.</source>
        <translation>“%1” granted to %2.</translation>
    </message>
    <message>
        <source>« %1 » retiré à %2.</source>
        <translation>“%1” removed from %2.</translation>
    </message>
    <message>
        <source>Supprimer l&apos;utilisateur %1 (%2) du client %3 ? Il n&apos;aura plus accès à l&apos;espace de l&apos;entreprise.</source>
        <translation>Delete the user %1 (%2) of the client %3? They will no longer have access to the company&apos;s space.</translation>
    </message>
    <message>
        <source>Supprimer l&apos;utilisateur</source>
        <translation>Delete the user</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%1 a été supprimé.</source>
        <translation>%1 was deleted.</translation>
    </message>
    <message>
        <source>%1 a été ajouté : une invitation à activer son accès est envoyée à %2.</source>
        <translation>%1 was added: an invitation to activate their access is sent to %2.</translation>
    </message>
    <message>
        <source>%1 a été ajouté : son adresse %2 a déjà un accès à l&apos;espace client, un e-mail l&apos;informe de ce nouvel accès.</source>
        <translation>%1 was added: their address %2 already has access to the client area; an email tells them about this new access.</translation>
    </message>
    <message>
        <source>%1 a été ajouté (%2).</source>
        <translation>%1 was added (%2).</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <source>Établissement :</source>
        <translation>Establishment:</translation>
    </message>
    <message>
        <source>Relancer</source>
        <translation>Remind</translation>
    </message>
    <message>
        <source>Renvoyer l&apos;invitation aux utilisateurs non activés des clients choisis (Ctrl+Maj+R)</source>
        <translation>Send the invitation again to the not-activated users of the chosen clients (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Actualiser (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Réessayer</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Charger la liste à nouveau (F5)</source>
        <translation>Load the list again (F5)</translation>
    </message>
    <message>
        <source>Choisissez un établissement où vous êtes administrateur.</source>
        <translation>Choose an establishment where you are an administrator.</translation>
    </message>
    <message>
        <source>activé</source>
        <translation>activated</translation>
    </message>
    <message>
        <source>activés</source>
        <translation>activated</translation>
    </message>
    <message>
        <source>Aucun client</source>
        <translation>No client</translation>
    </message>
    <message>
        <source>Aucune entreprise cliente n&apos;est rattachée à cet établissement.</source>
        <translation>No client company is linked to this establishment.</translation>
    </message>
    <message>
        <source>Liste des clients indisponible</source>
        <translation>Client list unavailable</translation>
    </message>
    <message>
        <source>La liste des clients n&apos;a pas pu être chargée.</source>
        <translation>The client list could not be loaded.</translation>
    </message>
    <message>
        <source>Réessayez (F5) dans un instant.</source>
        <translation>Try again (F5) in a moment.</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>%1, dont %2</source>
        <translation>%1, of which %2</translation>
    </message>
    <message>
        <source>client</source>
        <translation>client</translation>
    </message>
    <message>
        <source>clients</source>
        <translation>clients</translation>
    </message>
    <message>
        <source>Relancer (%1)</source>
        <translation>Remind (%1)</translation>
    </message>
    <message>
        <source>Relancer %1 ? L&apos;invitation est renvoyée à ses utilisateurs qui n&apos;ont pas activé leur accès.</source>
        <translation>Remind %1? The invitation is sent again to its users who have not activated their access.</translation>
    </message>
    <message>
        <source>Relancer %1 clients ? L&apos;invitation est renvoyée à leurs utilisateurs qui n&apos;ont pas activé leur accès (une fois par 24 heures au plus).</source>
        <translation>Remind %1 clients? The invitation is sent again to their users who have not activated their access (once per 24 hours at most).</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Coffreo Desktop — Connexion</source>
        <translation>Coffreo Desktop — Sign in</translation>
    </message>
    <message>
        <source>Bienvenue dans Coffreo Desktop</source>
        <translation>Welcome to Coffreo Desktop</translation>
    </message>
    <message>
        <source>Choisissez où se trouvent les données de votre groupe.</source>
        <translation>Choose where your group&apos;s data lives.</translation>
    </message>
    <message>
        <source>Mode local</source>
        <translation>Local mode</translation>
    </message>
    <message>
        <source>Le serveur fonctionne sur cet ordinateur ; les données y restent.</source>
        <translation>The server runs on this computer; the data stays here.</translation>
    </message>
    <message>
        <source>avec le groupe de démonstration</source>
        <translation>with the demo group</translation>
    </message>
    <message>
        <source>Serveur distant</source>
        <translation>Remote server</translation>
    </message>
    <message>
        <source>Le serveur partagé par votre groupe, à l&apos;adresse que vous a donnée votre administrateur.</source>
        <translation>The server shared by your group, at the address your administrator gave you.</translation>
    </message>
    <message>
        <source>J&apos;accepte une connexion non chiffrée (réseau de test)</source>
        <translation>I accept an unencrypted connection (test network)</translation>
    </message>
    <message>
        <source>Sans https://, les mots de passe et les documents circulent en clair sur le réseau.</source>
        <translation>Without https://, passwords and documents cross the network in the clear.</translation>
    </message>
    <message>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>Connexion non chiffrée refusée : avec « {url} », les mots de passe circuleraient en clair. Utilisez une adresse https://, ou cochez la case ci-dessus sur un réseau de test.</source>
        <translation>Unencrypted connection refused: with “{url}”, passwords would cross the network in the clear. Use an https:// address, or tick the box above on a test network.</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Coordonnées indisponibles pour le moment.</source>
        <translation>Contact details are unavailable for now.</translation>
    </message>
    <message>
        <source>Adresse e-mail invalide : vérifiez-la pour que le support puisse vous répondre.</source>
        <translation>Invalid e-mail address: check it so that support can answer you.</translation>
    </message>
    <message>
        <source>Votre message semble contenir un numéro de sécurité sociale : retirez-le avant l&apos;envoi.</source>
        <translation>Your message seems to contain a social security number: remove it before sending.</translation>
    </message>
    <message>
        <source>Envoi en cours…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Message envoyé. Référence : {reference}</source>
        <translation>Message sent. Reference: {reference}</translation>
    </message>
    <message>
        <source>Le message n&apos;a pas pu être envoyé.</source>
        <translation>The message could not be sent.</translation>
    </message>
    <message>
        <source>Contactez-nous</source>
        <translation>Contact us</translation>
    </message>
    <message>
        <source>Une question, un problème ? L&apos;équipe support de Coffreo vous répond.</source>
        <translation>A question, a problem? Coffreo&apos;s support team will answer you.</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Horaires</source>
        <translation>Opening hours</translation>
    </message>
    <message>
        <source>Aide en ligne</source>
        <translation>Online help</translation>
    </message>
    <message>
        <source>Écrire au support</source>
        <translation>Write to support</translation>
    </message>
    <message>
        <source>Votre adresse e-mail</source>
        <translation>Your e-mail address</translation>
    </message>
    <message>
        <source>prenom.nom@exemple.fr</source>
        <translation>firstname.lastname@example.com</translation>
    </message>
    <message>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Décrivez votre demande ; n&apos;indiquez jamais de numéro de sécurité sociale.</source>
        <translation>Describe your request; never include a social security number.</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Envoyer</source>
        <translation>Send</translation>
    </message>
</context>
<context>
    <name>DatesPage</name>
    <message>
        <source>Dates</source>
        <translation>Dates</translation>
    </message>
    <message>
        <source>Sans date de fin, la diffusion continue jusqu&apos;à ce qu&apos;elle soit clôturée.</source>
        <translation>Without an end date, the campaign runs until it is closed.</translation>
    </message>
    <message>
        <source>Date de fin :</source>
        <translation>End date:</translation>
    </message>
    <message>
        <source>Date de début :</source>
        <translation>Start date:</translation>
    </message>
    <message>
        <source>Au plus tôt le %1 (envoi à une date antérieure).</source>
        <translation>No earlier than %1 (backdated sending).</translation>
    </message>
    <message>
        <source>Aujourd&apos;hui ou plus tard.</source>
        <translation>Today or later.</translation>
    </message>
</context>
<context>
    <name>DecisionForm</name>
    <message>
        <source>Traiter la demande</source>
        <extracomment>Every pre-filled reason, as stored and as shown: a comment equal to one was not written by the user. The server refuses longer comments (422): the field stops there.</extracomment>
        <translation>Process the request</translation>
    </message>
    <message>
        <source>Accepter</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Refuser</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>Décision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Acceptation partielle</source>
        <translation>Partial acceptance</translation>
    </message>
    <message>
        <source>Montant accordé (€)</source>
        <translation>Amount granted (€)</translation>
    </message>
    <message>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Commentaire au salarié</source>
        <translation>Comment to the employee</translation>
    </message>
    <message>
        <source>Montant maximum</source>
        <translation>Maximum amount</translation>
    </message>
    <message>
        <source>Vide : %1</source>
        <translation>Empty: %1</translation>
    </message>
    <message>
        <source>%1 caractères au plus.</source>
        <translation>%1 characters at most.</translation>
    </message>
    <message>
        <source>Accepter la demande</source>
        <translation>Accept the request</translation>
    </message>
    <message>
        <source>Refuser la demande</source>
        <translation>Refuse the request</translation>
    </message>
    <message>
        <source>Accepter partiellement</source>
        <translation>Accept partially</translation>
    </message>
</context>
<context>
    <name>DeliveriesChart</name>
    <message>
        <source>Aucune remise sur la période choisie</source>
        <translation>No deliveries in the chosen period</translation>
    </message>
    <message>
        <source>%1 : %2 remise(s)</source>
        <translation>%1: %2 delivered</translation>
    </message>
</context>
<context>
    <name>DiffusionModel</name>
    <message>
        <source>Fichier</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Taille</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Vérification</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Destinataire</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Prêts à envoyer ({count})</source>
        <translation>Ready to send ({count})</translation>
    </message>
    <message>
        <source>Sans destinataire ({count})</source>
        <translation>No recipient ({count})</translation>
    </message>
    <message>
        <source>Refusés ({count})</source>
        <translation>Refused ({count})</translation>
    </message>
    <message>
        <source> (+{n})</source>
        <translation> (+{n})</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Sans destinataire</source>
        <translation>No recipient</translation>
    </message>
    <message>
        <source>Fichier PDF vérifié : lisible, non chiffré, sans contenu actif.</source>
        <translation>PDF file checked: readable, not encrypted, no active content.</translation>
    </message>
    <message>
        <source>Cliquez sur le crayon ou appuyez sur F2 pour renommer le document.</source>
        <translation>Click the pencil or press F2 to rename the document.</translation>
    </message>
</context>
<context>
    <name>DiffusionPage</name>
    <message>
        <source>Motif du matricule</source>
        <translation>Employee ID pattern</translation>
    </message>
    <message>
        <source>Expression régulière qui trouve le matricule dans le nom d&apos;un fichier (son premier groupe s&apos;il en a un). Par défaut : 4 à 10 chiffres qui ne touchent pas d&apos;autres chiffres.
Laissez vide pour revenir au motif par défaut.</source>
        <translation>Regular expression that finds the employee ID in a file name (its first group, if it has one). Default: 4 to 10 digits not touching other digits.
Leave empty to go back to the default pattern.</translation>
    </message>
    <message>
        <source>Ce motif n&apos;est pas une expression régulière valable : {error}.</source>
        <translation>This pattern is not a valid regular expression: {error}.</translation>
    </message>
    <message>
        <source>Le motif a au plus un groupe entre parenthèses : celui du matricule.</source>
        <translation>The pattern has at most one group in parentheses: the employee ID’s.</translation>
    </message>
    <message>
        <source>Le réglage n&apos;a pas pu être enregistré : {error}.</source>
        <translation>The setting could not be saved: {error}.</translation>
    </message>
    <message>
        <source>Droit {right} requis sur cette agence</source>
        <translation>{right} right required for this agency</translation>
    </message>
    <message>
        <source>Ajouter des fichiers</source>
        <translation>Add files</translation>
    </message>
    <message>
        <source>Documents PDF (*.pdf *.PDF);;Tous les fichiers (*)</source>
        <translation>PDF documents (*.pdf *.PDF);;All files (*)</translation>
    </message>
    <message>
        <source>{rows} : {type}.</source>
        <translation>{rows}: {type}.</translation>
    </message>
    <message>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>documents</translation>
    </message>
    <message>
        <source>Sélectionnez d&apos;abord des fichiers « Sans destinataire ».</source>
        <translation>First select files under “No recipient”.</translation>
    </message>
    <message>
        <source>fichier attribué</source>
        <translation>file assigned</translation>
    </message>
    <message>
        <source>fichiers attribués</source>
        <translation>files assigned</translation>
    </message>
    <message>
        <source>{files} à {name}.</source>
        <translation>{files} to {name}.</translation>
    </message>
    <message>
        <source>ligne retirée</source>
        <translation>row removed</translation>
    </message>
    <message>
        <source>lignes retirées</source>
        <translation>rows removed</translation>
    </message>
    <message>
        <source>{rows}.</source>
        <translation>{rows}.</translation>
    </message>
    <message>
        <source>Annulé.</source>
        <translation>Undone.</translation>
    </message>
    <message>
        <source>{ready} · {unmatched} · {refused}</source>
        <translation>{ready} · {unmatched} · {refused}</translation>
    </message>
    <message>
        <source>document prêt</source>
        <translation>document ready</translation>
    </message>
    <message>
        <source>documents prêts</source>
        <translation>documents ready</translation>
    </message>
    <message>
        <source>sans destinataire</source>
        <translation>without a recipient</translation>
    </message>
    <message>
        <source>refusé</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>refusés</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>Diffusion libre</source>
        <extracomment>Sized so that every column, the title&apos;s too, fits a 1 280-pixel-wide window.</extracomment>
        <translation>Free delivery</translation>
    </message>
    <message>
        <source>Aucune agence ne vous permet la diffusion libre (droits DL, DLP ou DLS).</source>
        <translation>None of your agencies allows free delivery (DL, DLP or DLS rights).</translation>
    </message>
    <message>
        <source>Émetteur</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>Émetteur :</source>
        <translation>Sender:</translation>
    </message>
    <message>
        <source>Destinataires :</source>
        <translation>Recipients:</translation>
    </message>
    <message>
        <source>Destinataires choisis :</source>
        <translation>Chosen recipients:</translation>
    </message>
    <message>
        <source>Type à appliquer</source>
        <translation>Type to apply</translation>
    </message>
    <message>
        <source>Appliquer le type à la sélection</source>
        <translation>Apply the type to the selection</translation>
    </message>
    <message>
        <source>Donner ce type à toutes les lignes sélectionnées (Ctrl+T)</source>
        <translation>Give this type to all selected rows (Ctrl+T)</translation>
    </message>
    <message>
        <source>Attribuer un destinataire…</source>
        <translation>Assign a recipient…</translation>
    </message>
    <message>
        <source>Choisir le destinataire des fichiers sélectionnés (Ctrl+D)</source>
        <translation>Choose the recipient of the selected files (Ctrl+D)</translation>
    </message>
    <message>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Retirer les lignes sélectionnées (Suppr)</source>
        <translation>Remove the selected rows (Del)</translation>
    </message>
    <message>
        <source>Arrêter</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Arrêter la vérification : les fichiers restants ne sont pas ajoutés.</source>
        <translation>Stop checking: the remaining files are not added.</translation>
    </message>
    <message>
        <source>Ajouter des fichiers…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>Choisir des fichiers PDF (Ctrl+O)</source>
        <translation>Choose PDF files (Ctrl+O)</translation>
    </message>
    <message>
        <source>Vérifier et envoyer</source>
        <translation>Review and send</translation>
    </message>
    <message>
        <source>Revoir le résumé puis envoyer (Ctrl+Entrée)</source>
        <translation>Review the summary, then send (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Motif du matricule…</source>
        <translation>Employee ID pattern…</translation>
    </message>
    <message>
        <source>Comment lire le matricule dans le nom des fichiers (réglage de ce poste)</source>
        <translation>How to read the employee ID in file names (a setting of this workstation)</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Annuler la dernière modification (Ctrl+Z)</source>
        <translation>Undo the last change (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DiffusionResume</name>
    <message>
        <source>Envoi inachevé</source>
        <translation>Unfinished sending</translation>
    </message>
    <message>
        <source>L&apos;envoi de %1 documents commencé le %2 (émetteur : %3) n&apos;est pas terminé : %4 envoyés, %5 restent à envoyer.</source>
        <translation>The sending of %1 documents started on %2 (sender: %3) is not finished: %4 sent, %5 left to send.</translation>
    </message>
    <message>
        <source>Les documents déjà envoyés ne seront pas envoyés une seconde fois.</source>
        <translation>Documents already sent will not be sent a second time.</translation>
    </message>
    <message>
        <source>Reprendre l&apos;envoi</source>
        <translation>Resume sending</translation>
    </message>
    <message>
        <source>Plus tard</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Abandonner cet envoi</source>
        <translation>Abandon this sending</translation>
    </message>
    <message>
        <source>Abandonner l&apos;envoi ?</source>
        <translation>Abandon the sending?</translation>
    </message>
    <message>
        <source>%1 documents ne seront pas envoyés. Cette action est définitive.</source>
        <translation>%1 documents will not be sent. This cannot be undone.</translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message>
        <source>Le travail hors ligne est désactivé : aucun trousseau sécurisé n&apos;est disponible sur ce poste pour chiffrer le cache des documents.</source>
        <extracomment>The kept list that always holds the first page of the last search (offline start). How many rows of the last search are kept for an offline start (its first page). The cache is used from one thread (the STORE lane), by the page and by the client&apos;s sync alike.</extracomment>
        <translation>Offline work is disabled: no secure keyring is available on this computer to encrypt the document cache.</translation>
    </message>
    <message>
        <source>Résultats du serveur</source>
        <translation>Server results</translation>
    </message>
    <message>
        <source>Dernière recherche</source>
        <translation>Last search</translation>
    </message>
    <message>
        <source>Hors ligne : aucune liste n&apos;a encore été gardée sur ce poste.</source>
        <translation>Offline: no list has been kept on this computer yet.</translation>
    </message>
    <message>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Ouverture du document…</source>
        <translation>Opening the document…</translation>
    </message>
    <message>
        <source>Hors ligne</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>« {title} » n&apos;est pas disponible hors ligne. Il s&apos;ouvrira dès le retour de la connexion ; pensez à le rendre « Disponible hors ligne ».</source>
        <translation>“{title}” is not available offline. It will open as soon as the connection is back; remember to make it “Available offline”.</translation>
    </message>
    <message>
        <source>Document supprimé</source>
        <translation>Document deleted</translation>
    </message>
    <message>
        <source>Supprimer le contrat</source>
        <translation>Delete contract</translation>
    </message>
    <message>
        <source>Supprimer « {title} » ?

Ce contrat n&apos;est pas encore signé. La suppression est définitive et enregistrée dans le journal d&apos;audit.</source>
        <translation>Delete “{title}”?

This contract is not signed yet. The deletion is permanent and recorded in the audit log.</translation>
    </message>
    <message>
        <source>Disponible hors ligne</source>
        <translation>Available offline</translation>
    </message>
    <message>
        <source>Sélectionnez les documents à garder lisibles sans connexion.</source>
        <translation>Select the documents to keep readable without a connection.</translation>
    </message>
    <message>
        <source>Documents gardés : {n} / {total}</source>
        <translation>Documents kept: {n} / {total}</translation>
    </message>
    <message>
        <source>Téléchargement des documents pour le travail hors ligne…</source>
        <translation>Downloading the documents for offline work…</translation>
    </message>
    <message>
        <source>{count} disponible(s) hors ligne.</source>
        <translation>{count} available offline.</translation>
    </message>
    <message>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>documents</translation>
    </message>
    <message>
        <source>{count} retiré(s) du travail hors ligne.</source>
        <translation>{count} removed from offline work.</translation>
    </message>
    <message>
        <source>Garder la liste hors ligne</source>
        <translation>Keep list offline</translation>
    </message>
    <message>
        <source>Nom de la liste :</source>
        <translation>List name:</translation>
    </message>
    <message>
        <source>Préparation de la liste hors ligne…</source>
        <translation>Preparing the offline list…</translation>
    </message>
    <message>
        <source>{type} — {day}</source>
        <translation>{type} — {day}</translation>
    </message>
    <message>
        <source>Liste « {name} » gardée hors ligne : {count}.</source>
        <translation>List “{name}” kept offline: {count}.</translation>
    </message>
</context>
<context>
    <name>DocumentScope</name>
    <message>
        <source>Toutes mes agences</source>
        <translation>All my agencies</translation>
    </message>
    <message>
        <source>Entité {brand}</source>
        <translation>Entity {brand}</translation>
    </message>
</context>
<context>
    <name>DocumentTableModel</name>
    <message>
        <source>Voir</source>
        <extracomment>Fetch the page that follows ``cursor`` (None: the first page).</extracomment>
        <translation>View</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>N° de contrat</source>
        <translation>Contract no.</translation>
    </message>
    <message>
        <source>N° de facture</source>
        <translation>Invoice no.</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Facture</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Taille</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Déposé le</source>
        <translation>Uploaded on</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Ouvrir le document (Entrée)</source>
        <translation>Open the document (Enter)</translation>
    </message>
    <message>
        <source>Supprimer ce contrat non signé (Suppr)</source>
        <translation>Delete this unsigned contract (Del)</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <source>Page précédente</source>
        <extracomment>Pages are rendered for the printer at no more than this: enough for text, light on memory.</extracomment>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>Page suivante</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>Numéro de page</source>
        <translation>Page number</translation>
    </message>
    <message>
        <source>Zoom arrière</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>Zoom avant</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Ajuster à la largeur</source>
        <translation>Fit to width</translation>
    </message>
    <message>
        <source>Enregistrer une copie</source>
        <translation>Save a copy</translation>
    </message>
    <message>
        <source>Imprimer</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Ce document est protégé par un mot de passe et ne peut pas être affiché.</source>
        <translation>This document is protected by a password and cannot be displayed.</translation>
    </message>
    <message>
        <source>Ce document est illisible.</source>
        <translation>This document cannot be read.</translation>
    </message>
    <message>
        <source>/ {count}</source>
        <translation>/ {count}</translation>
    </message>
    <message>
        <source>Aucun document</source>
        <translation>No document</translation>
    </message>
    <message>
        <source>Vérification des signatures…</source>
        <translation>Verifying the signatures…</translation>
    </message>
    <message>
        <source>Les signatures n&apos;ont pas pu être vérifiées.</source>
        <translation>The signatures could not be verified.</translation>
    </message>
    <message>
        <source>Documents PDF (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
        <source>La copie n&apos;a pas pu être enregistrée : {reason}</source>
        <translation>The copy could not be saved: {reason}</translation>
    </message>
    <message>
        <source>L&apos;imprimante n&apos;est pas disponible.</source>
        <translation>The printer is not available.</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>Tous les types</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>documents</translation>
    </message>
    <message>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Aucun document ne correspond à ces critères.</source>
        <translation>No document matches these criteria.</translation>
    </message>
    <message>
        <source>Cette liste gardée hors ligne est vide.</source>
        <translation>This offline list is empty.</translation>
    </message>
    <message>
        <source>La recherche a échoué à cause d&apos;une erreur inattendue ; elle est consignée.</source>
        <translation>The search failed because of an unexpected error; it has been logged.</translation>
    </message>
    <message>
        <source>Le serveur est injoignable. Les listes gardées hors ligne restent consultables.</source>
        <translation>The server is unreachable. The lists kept offline can still be consulted.</translation>
    </message>
    <message>
        <source>Chargement interrompu : {reason}</source>
        <translation>Loading interrupted: {reason}</translation>
    </message>
    <message>
        <source>Hors ligne : liste synchronisée le {when}.</source>
        <translation>Offline: list synchronised on {when}.</translation>
    </message>
    <message>
        <source>Hors ligne.</source>
        <translation>Offline.</translation>
    </message>
    <message>
        <source>Liste gardée hors ligne, synchronisée le {when}.</source>
        <translation>List kept offline, synchronised on {when}.</translation>
    </message>
    <message>
        <source>Recherche de documents</source>
        <translation>Document search</translation>
    </message>
    <message>
        <source>A&amp;gence ou entité</source>
        <translation>A&amp;gency or entity</translation>
    </message>
    <message>
        <source>Rechercher dans toutes vos agences, une entité (ses agences que vous voyez) ou une agence</source>
        <translation>Search all your agencies, an entity (its agencies you can see) or an agency</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>&amp;Type</translation>
    </message>
    <message>
        <source>&amp;Période</source>
        <translation>&amp;Period</translation>
    </message>
    <message>
        <source>Signés</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>Non signés</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>État des fa&amp;ctures</source>
        <translation>&amp;Invoice state</translation>
    </message>
    <message>
        <source>Recherche &amp;avancée</source>
        <translation>&amp;Advanced search</translation>
    </message>
    <message>
        <source>Valeur recherchée (Ctrl+F)</source>
        <translation>Search value (Ctrl+F)</translation>
    </message>
    <message>
        <source>&amp;Rechercher</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>Reprendre le chargement</source>
        <translation>Resume loading</translation>
    </message>
    <message>
        <source>Listes gardées pour le travail hors ligne</source>
        <translation>Lists kept for offline work</translation>
    </message>
    <message>
        <source>Garder la liste hors ligne</source>
        <translation>Keep list offline</translation>
    </message>
    <message>
        <source>Garder ces résultats et leurs documents pour le travail sans connexion</source>
        <translation>Keep these results and their documents for work without a connection</translation>
    </message>
    <message>
        <source>Disponible hors ligne</source>
        <translation>Available offline</translation>
    </message>
    <message>
        <source>Garder les documents sélectionnés lisibles sans connexion</source>
        <translation>Keep the selected documents readable without a connection</translation>
    </message>
    <message>
        <source>&amp;Exporter…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>Actualiser (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Réessayer</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Ajoutez un ou plusieurs PDF (%1 au plus chacun) : glissez-les ici ou choisissez-les.</source>
        <translation>Add one or more PDFs (%1 max. each): drag them here or browse for them.</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Taille</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Ajouter des PDF…</source>
        <translation>Add PDFs…</translation>
    </message>
    <message>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Diffusion signée : les salariés doivent signer ces documents</source>
        <translation>Signed delivery: employees must sign these documents</translation>
    </message>
    <message>
        <source>Ajouter des documents</source>
        <translation>Add documents</translation>
    </message>
    <message>
        <source>Documents PDF (*.pdf *.PDF)</source>
        <translation>PDF documents (*.pdf *.PDF)</translation>
    </message>
    <message>
        <source>Vérification des fichiers…</source>
        <translation>Checking the files…</translation>
    </message>
    <message>
        <source>%1 est déjà dans la liste.</source>
        <translation>%1 is already in the list.</translation>
    </message>
    <message>
        <source>%1 document — %2</source>
        <translation>%1 document — %2</translation>
    </message>
    <message>
        <source>%1 documents — %2</source>
        <translation>%1 documents — %2</translation>
    </message>
    <message>
        <source>Fichiers refusés :</source>
        <translation>Refused files:</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <source>Déposez ici des fichiers PDF ou un dossier, ou cliquez sur « Ajouter des fichiers… »</source>
        <translation>Drop PDF files or a folder here, or click “Add files…”</translation>
    </message>
    <message>
        <source>Chaque fichier est vérifié puis rattaché au destinataire dont le matricule figure dans son nom. PDF uniquement, 500 Ko conseillés, 5 Mo au plus.</source>
        <translation>Each file is checked, then matched to the recipient whose employee ID appears in its name. PDF only, 500 KB recommended, 5 MB maximum.</translation>
    </message>
    <message>
        <source>Ajouter des fichiers…</source>
        <translation>Add files…</translation>
    </message>
</context>
<context>
    <name>EmployeeFolderPane</name>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Naissance</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>Coffre-fort</source>
        <translation>Vault</translation>
    </message>
    <message>
        <source>Remise électronique</source>
        <translation>Electronic delivery</translation>
    </message>
    <message>
        <source>Établissements</source>
        <translation>Establishments</translation>
    </message>
    <message>
        <source>Ouvrir le document</source>
        <translation>Open the document</translation>
    </message>
    <message>
        <source>aucune adresse</source>
        <translation>no address</translation>
    </message>
    <message>
        <source>activé le %1</source>
        <translation>activated on %1</translation>
    </message>
    <message>
        <source>créé le %1, non activé</source>
        <translation>created on %1, not activated</translation>
    </message>
    <message>
        <source>pas encore créé (aucun document remis)</source>
        <translation>not created yet (no document delivered)</translation>
    </message>
    <message>
        <source>refusée depuis le %1 : bulletins remis sur papier</source>
        <translation>refused since %1: payslips handed on paper</translation>
    </message>
    <message>
        <source>acceptée</source>
        <translation>accepted</translation>
    </message>
    <message>
        <source>Documents remis : %1</source>
        <translation>Documents delivered: %1</translation>
    </message>
    <message>
        <source>Aucun document remis.</source>
        <translation>No document delivered.</translation>
    </message>
</context>
<context>
    <name>EmployeeModel</name>
    <message>
        <source>%1 à %2</source>
        <translation>%1 at %2</translation>
    </message>
    <message>
        <source>Relance arrêtée à votre demande.</source>
        <translation>Reminders stopped at your request.</translation>
    </message>
    <message>
        <source>Relance interrompue par une erreur.</source>
        <translation>Reminders interrupted by an error.</translation>
    </message>
    <message>
        <source>salarié relancé</source>
        <translation>employee reminded</translation>
    </message>
    <message>
        <source>salariés relancés</source>
        <translation>employees reminded</translation>
    </message>
    <message>
        <source>possible à partir du %1</source>
        <translation>possible from %1</translation>
    </message>
    <message>
        <source>(au plus tard le %1)</source>
        <translation>(at the latest %1)</translation>
    </message>
    <message>
        <source>déjà relancé depuis moins de 24 heures</source>
        <translation>already reminded less than 24 hours ago</translation>
    </message>
    <message>
        <source>déjà relancés depuis moins de 24 heures</source>
        <translation>already reminded less than 24 hours ago</translation>
    </message>
    <message>
        <source>non relancé</source>
        <translation>not reminded</translation>
    </message>
    <message>
        <source>non relancés</source>
        <translation>not reminded</translation>
    </message>
    <message>
        <source>Relancer de nouveau continue sans risque : les salariés déjà relancés sont ignorés.</source>
        <translation>Starting again is safe: employees already reminded are skipped.</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee no.</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Activé</source>
        <translation>Activated</translation>
    </message>
    <message>
        <source>Création</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Dernier document</source>
        <translation>Last document</translation>
    </message>
    <message>
        <source>Ouvrir le dossier du salarié</source>
        <translation>Open the employee&apos;s folder</translation>
    </message>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Non</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>EmployeesPage</name>
    <message>
        <source>Établissement :</source>
        <extracomment>Wait after the last keystroke before asking the server (F6.2 &quot;answers as you type&quot;).</extracomment>
        <translation>Establishment:</translation>
    </message>
    <message>
        <source>Rechercher : matricule, nom ou prénom</source>
        <translation>Search: employee ID, last or first name</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Actualiser (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Relancer</source>
        <translation>Remind</translation>
    </message>
    <message>
        <source>Renvoyer l&apos;invitation à activer le coffre aux salariés sélectionnés (une fois par 24 h)</source>
        <translation>Send the vault activation invitation again to the selected employees (once per 24 h)</translation>
    </message>
    <message>
        <source>Relancer tous les non activés</source>
        <translation>Remind all not activated</translation>
    </message>
    <message>
        <source>Choisissez un établissement où vous êtes administrateur.</source>
        <translation>Choose an establishment where you are an administrator.</translation>
    </message>
    <message>
        <source>Vous n&apos;êtes administrateur d&apos;aucun établissement.</source>
        <translation>You are not an administrator of any establishment.</translation>
    </message>
    <message>
        <source>Aucun salarié ne correspond.</source>
        <translation>No employee matches.</translation>
    </message>
    <message>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Activés</source>
        <translation>Activated</translation>
    </message>
    <message>
        <source>Non activés</source>
        <translation>Not activated</translation>
    </message>
    <message>
        <source>Coffres créés : %1 · activés : %2 · non activés : %3</source>
        <translation>Vaults created: %1 · activated: %2 · not activated: %3</translation>
    </message>
    <message>
        <source>Relancer les %1 salariés qui n&apos;ont pas activé leur coffre ?</source>
        <translation>Remind the %1 employees who have not activated their vault?</translation>
    </message>
    <message>
        <source>Relancer tous les salariés qui n&apos;ont pas activé leur coffre ?</source>
        <translation>Remind every employee who has not activated their vault?</translation>
    </message>
    <message>
        <source>Ceux relancés depuis moins de 24 heures ne le seront pas de nouveau.</source>
        <translation>Those reminded less than 24 hours ago will not be reminded again.</translation>
    </message>
    <message>
        <source>Pour l&apos;établissement %1 : %2</source>
        <translation>For establishment %1: %2</translation>
    </message>
    <message>
        <source>Le document n&apos;a pas pu être téléchargé : réessayez.</source>
        <translation>The document could not be downloaded: try again.</translation>
    </message>
    <message>
        <source>Ouverture du document…</source>
        <translation>Opening the document…</translation>
    </message>
</context>
<context>
    <name>EstablishmentChoice</name>
    <message>
        <source>Choisissez un établissement…</source>
        <translation>Choose an establishment…</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Tous les types</source>
        <extracomment>Emitted from the export&apos;s progress callback; a queued connection if it ever comes from a thread.</extracomment>
        <translation>All types</translation>
    </message>
    <message>
        <source>Signés</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>Non signés</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>Signés et non signés</source>
        <translation>Signed and not signed</translation>
    </message>
    <message>
        <source>Toutes les factures</source>
        <translation>All invoices</translation>
    </message>
    <message>
        <source>Aucun critère</source>
        <translation>No criterion</translation>
    </message>
    <message>
        <source>Enregistrer l&apos;export sous</source>
        <translation>Save the export as</translation>
    </message>
    <message>
        <source>Archive ZIP (*.zip)</source>
        <translation>ZIP archive (*.zip)</translation>
    </message>
    <message>
        <source>Fichier CSV (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>Cochez au moins une agence.</source>
        <translation>Tick at least one agency.</translation>
    </message>
    <message>
        <source>Préparation de l&apos;export…</source>
        <translation>Preparing the export…</translation>
    </message>
    <message>
        <source>%1 lignes — %2 Mo</source>
        <translation>%1 rows — %2 MB</translation>
    </message>
    <message>
        <source>%1 / %2 lignes — %3 Mo</source>
        <translation>%1 / %2 rows — %3 MB</translation>
    </message>
    <message>
        <source>Export terminé : %1 lignes, %2 Mo, dans %3.</source>
        <translation>Export finished: %1 rows, %2 MB, in %3.</translation>
    </message>
    <message>
        <source>%1 fichiers PDF inclus.</source>
        <translation>%1 PDF files included.</translation>
    </message>
    <message>
        <source>L&apos;export a été interrompu : %1</source>
        <translation>The export was interrupted: %1</translation>
    </message>
    <message>
        <source>L&apos;export a été interrompu par une erreur inattendue.</source>
        <translation>The export was interrupted by an unexpected error.</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Annulation…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Vous recevrez un e-mail avec le lien de téléchargement dès que l&apos;export sera prêt.</source>
        <translation>You will receive an e-mail with the download link as soon as the export is ready.</translation>
    </message>
    <message>
        <source>Exporter des documents</source>
        <translation>Export documents</translation>
    </message>
    <message>
        <source>Agences ou sociétés</source>
        <translation>Agencies or companies</translation>
    </message>
    <message>
        <source>Toutes mes agences</source>
        <translation>All my agencies</translation>
    </message>
    <message>
        <source>Cochez une société pour exporter toutes ses agences, ou des agences une à une</source>
        <translation>Tick a company to export all its agencies, or agencies one by one</translation>
    </message>
    <message>
        <source>Type de document</source>
        <translation>Document type</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>État des factures</source>
        <translation>Invoice state</translation>
    </message>
    <message>
        <source>Critère</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <source>Valeur (par exemple le nom d&apos;une entreprise cliente)</source>
        <translation>Value (for example a client company&apos;s name)</translation>
    </message>
    <message>
        <source>Ajouter à l&apos;export les fichiers PDF</source>
        <translation>Include the PDF files in the export</translation>
    </message>
    <message>
        <source>Fichier</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Fichier de l&apos;export</source>
        <translation>Export file</translation>
    </message>
    <message>
        <source>Enregistrer sous…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>Recevoir un lien par e-mail</source>
        <translation>Receive a link by e-mail</translation>
    </message>
    <message>
        <source>Pour les très gros exports : le serveur prépare le fichier et vous envoie un lien.</source>
        <translation>For very large exports: the server prepares the file and sends you a link.</translation>
    </message>
    <message>
        <source>Ouvrir le dossier</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>Exporter</source>
        <translation>Export</translation>
    </message>
</context>
<context>
    <name>FileIntake</name>
    <message>
        <source>Les destinataires n&apos;ont pas pu être recherchés : {reason}</source>
        <extracomment>Files checked per call of ``check_many`` (one pool of processes each, ~0.2 s to start) and between two refreshes of the table: a thousand files go in one call, a huge folder shows rows as it goes. ``on_progress(done, total)``, called from a worker thread.</extracomment>
        <translation>The recipients could not be looked up: {reason}</translation>
    </message>
    <message>
        <source>Recherche des destinataires…</source>
        <translation>Looking up the recipients…</translation>
    </message>
    <message>
        <source>Vérification de {done} / {total} fichiers…</source>
        <translation>Checking {done} / {total} files…</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Toutes mes agences</source>
        <translation>All my agencies</translation>
    </message>
    <message>
        <source>Toutes les dates</source>
        <translation>All dates</translation>
    </message>
    <message>
        <source>Agence :</source>
        <translation>Agency:</translation>
    </message>
    <message>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <source>au</source>
        <translation>to</translation>
    </message>
</context>
<context>
    <name>FolderDocumentsModel</name>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Double-cliquez pour ouvrir le document</source>
        <translation>Double-click to open the document</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Rechercher, consulter et exporter les documents</source>
        <extracomment>One line under each tile&apos;s title, once its page exists.</extracomment>
        <translation>Search, view and export documents</translation>
    </message>
    <message>
        <source>Envoyer des documents à vos salariés</source>
        <translation>Send documents to your employees</translation>
    </message>
    <message>
        <source>Joindre des documents aux bulletins et contrats</source>
        <translation>Attach documents to payslips and contracts</translation>
    </message>
    <message>
        <source>Suivre les relevés d&apos;heures</source>
        <translation>Follow timesheets</translation>
    </message>
    <message>
        <source>Traiter les demandes d&apos;acomptes</source>
        <translation>Process salary advance requests</translation>
    </message>
    <message>
        <source>Entreprises clientes et leurs accès</source>
        <translation>Client companies and their access</translation>
    </message>
    <message>
        <source>Coffres des salariés et relances</source>
        <translation>Employee vaults and reminders</translation>
    </message>
    <message>
        <source>Accès et droits des collaborateurs</source>
        <translation>Staff access and rights</translation>
    </message>
    <message>
        <source>Bientôt disponible</source>
        <translation>Coming soon</translation>
    </message>
    <message>
        <source>Bonjour {name}</source>
        <translation>Hello {name}</translation>
    </message>
    <message>
        <source>Aucun service n&apos;est ouvert pour votre compte. Demandez l&apos;accès à votre administrateur.</source>
        <translation>No service is open to your account. Ask your administrator for access.</translation>
    </message>
    <message>
        <source>Accueil</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>Vous n&apos;avez accès à aucune agence pour le moment.</source>
        <translation>You have no access to any agency yet.</translation>
    </message>
    <message>
        <source>Vous avez accès à une agence. Que souhaitez-vous faire ?</source>
        <translation>You have access to one agency. What would you like to do?</translation>
    </message>
    <message>
        <source>Vous avez accès à {count} agences. Que souhaitez-vous faire ?</source>
        <translation>You have access to {count} agencies. What would you like to do?</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Choisir un compte…</source>
        <extracomment>Longest lock of the button after a throttled login: the server&apos;s Retry-After, capped. Set when the dialog closes to go back to the connection choice rather than to quit.</extracomment>
        <translation>Choose an account…</translation>
    </message>
    <message>
        <source>Connexion…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Se connecter</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>La connexion a échoué à cause d&apos;une erreur inattendue.</source>
        <translation>Signing in failed because of an unexpected error.</translation>
    </message>
    <message>
        <source>Coffreo Desktop — Connexion</source>
        <translation>Coffreo Desktop — Sign in</translation>
    </message>
    <message>
        <source>Connexion</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Aucun trousseau sécurisé n&apos;est disponible : la session sera gardée en mémoire seulement.</source>
        <translation>No secure keyring is available: the session will be kept in memory only.</translation>
    </message>
    <message>
        <source>Comptes de démonstration</source>
        <translation>Demo accounts</translation>
    </message>
    <message>
        <source>Adresse e-mail</source>
        <translation>E-mail address</translation>
    </message>
    <message>
        <source>prenom.nom@exemple.fr</source>
        <translation>firstname.lastname@example.com</translation>
    </message>
    <message>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Rester connecté</source>
        <translation>Stay signed in</translation>
    </message>
    <message>
        <source>Changer de connexion</source>
        <translation>Change connection</translation>
    </message>
    <message>
        <source>Contactez-nous</source>
        <translation>Contact us</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Accueil</source>
        <extracomment>Counts painted on navigation entries (requests waiting), kept when the navigation is rebuilt.</extracomment>
        <translation>Home</translation>
    </message>
    <message>
        <source>{page} — Coffreo Desktop</source>
        <translation>{page} — Coffreo Desktop</translation>
    </message>
    <message>
        <source>Contactez-nous</source>
        <translation>Contact us</translation>
    </message>
    <message>
        <source>Se déconnecter</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>connexion…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <source>en ligne</source>
        <translation>online</translation>
    </message>
    <message>
        <source>hors ligne</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Coffreo Desktop</source>
        <translation>Coffreo Desktop</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
</context>
<context>
    <name>NamesCut</name>
    <message>
        <source>autre</source>
        <extracomment>``translate(&quot;Context&quot;, &quot;texte&quot;)`` outside a QObject: lupdate finds the call by this name, with the context and the text written out (a helper that hides either one hides the text from lupdate). Dates and times are shown in Paris time, whatever the computer&apos;s zone. Names written out in a result before &quot;… et 1 234 autres&quot;: readable after thousands.</extracomment>
        <translation>other</translation>
    </message>
    <message>
        <source>autres</source>
        <translation>others</translation>
    </message>
    <message>
        <source>… et %1</source>
        <translation>… and %1</translation>
    </message>
</context>
<context>
    <name>RecipientPanel</name>
    <message>
        <source>Créer destinataire</source>
        <extracomment>The date edit&apos;s &quot;empty&quot; value: one day before the oldest birth date the server accepts. Where typing a birth date starts from (its day section is selected, the digits typed replace it).</extracomment>
        <translation>Create recipient</translation>
    </message>
    <message>
        <source>Tous les champs sont obligatoires.</source>
        <translation>All fields are required.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Attention :&lt;/b&gt; le matricule et l&apos;adresse e-mail identifient la personne. Une erreur enverrait ses documents à quelqu&apos;un d&apos;autre : vérifiez-les.</source>
        <translation>&lt;b&gt;Caution:&lt;/b&gt; the employee ID and the e-mail address identify the person. A mistake would send their documents to someone else: check them.</translation>
    </message>
    <message>
        <source>Civilité</source>
        <extracomment>The input widget of each field, in the server&apos;s names and the form&apos;s order.</extracomment>
        <translation>Title</translation>
    </message>
    <message>
        <source>ex. : M12345</source>
        <translation>e.g. M12345</translation>
    </message>
    <message>
        <source>prenom.nom@exemple.fr</source>
        <translation>firstname.lastname@example.com</translation>
    </message>
    <message>
        <source>06 12 34 56 78</source>
        <translation>06 12 34 56 78</translation>
    </message>
    <message>
        <source>N°, rue, code postal, ville</source>
        <translation>No., street, postcode, town</translation>
    </message>
    <message>
        <source>jj/mm/aaaa</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Fermer sans créer (Échap)</source>
        <translation>Close without creating (Esc)</translation>
    </message>
    <message>
        <source>Créer</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>Créer le destinataire (Ctrl+Entrée)</source>
        <translation>Create the recipient (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Corrigez les champs signalés.</source>
        <translation>Correct the highlighted fields.</translation>
    </message>
    <message>
        <source>Choisissez la civilité.</source>
        <translation>Choose the title.</translation>
    </message>
    <message>
        <source>Le prénom est obligatoire.</source>
        <translation>The first name is required.</translation>
    </message>
    <message>
        <source>Le nom est obligatoire.</source>
        <translation>The last name is required.</translation>
    </message>
    <message>
        <source>Le matricule est obligatoire.</source>
        <translation>The employee ID is required.</translation>
    </message>
    <message>
        <source>L&apos;adresse e-mail est obligatoire.</source>
        <translation>The e-mail address is required.</translation>
    </message>
    <message>
        <source>Le téléphone est obligatoire.</source>
        <translation>The phone number is required.</translation>
    </message>
    <message>
        <source>La date de naissance est obligatoire.</source>
        <translation>The date of birth is required.</translation>
    </message>
    <message>
        <source>L&apos;adresse est obligatoire.</source>
        <translation>The address is required.</translation>
    </message>
    <message>
        <source>L&apos;adresse e-mail n&apos;est pas valide (exemple : prenom.nom@exemple.fr).</source>
        <translation>The e-mail address is not valid (example: firstname.lastname@example.com).</translation>
    </message>
    <message>
        <source>Le destinataire n&apos;a pas pu être créé (erreur inattendue).</source>
        <translation>The recipient could not be created (unexpected error).</translation>
    </message>
    <message>
        <source>Ce matricule est déjà pris.</source>
        <translation>This employee ID is already taken.</translation>
    </message>
    <message>
        <source>Le serveur a refusé certains champs : corrigez-les.</source>
        <translation>The server rejected some fields: correct them.</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord l&apos;émetteur (agence ou établissement).</source>
        <translation>First choose the sender (agency or establishment).</translation>
    </message>
</context>
<context>
    <name>RecipientPicker</name>
    <message>
        <source>Nom, prénom ou matricule…</source>
        <extracomment>Typing pauses this long before the server is asked: one request per word, not per key. The suggestion&apos;s index in ``RecipientPicker.results``; absent on the &quot;no result&quot; line. The suggestions shown, and the text they answer (None: nothing shown).</extracomment>
        <translation>Last name, first name or employee ID…</translation>
    </message>
    <message>
        <source>Rechercher un destinataire</source>
        <translation>Search for a recipient</translation>
    </message>
    <message>
        <source>Créer destinataire</source>
        <translation>Create recipient</translation>
    </message>
    <message>
        <source>Créer un nouveau destinataire</source>
        <translation>Create a new recipient</translation>
    </message>
    <message>
        <source>Le destinataire n&apos;existe pas encore : saisissez sa fiche.</source>
        <translation>The recipient does not exist yet: enter their details.</translation>
    </message>
    <message>
        <source>Destinataires proposés</source>
        <translation>Suggested recipients</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord l&apos;émetteur (agence ou établissement).</source>
        <translation>First choose the sender (agency or establishment).</translation>
    </message>
    <message>
        <source>Aucun destinataire trouvé</source>
        <translation>No recipient found</translation>
    </message>
    <message>
        <source>La recherche a échoué : {detail}</source>
        <translation>The search failed: {detail}</translation>
    </message>
    <message>
        <source>La recherche a échoué (erreur inattendue).</source>
        <translation>The search failed (unexpected error).</translation>
    </message>
</context>
<context>
    <name>ReminderProgress</name>
    <message>
        <source>Relance des salariés</source>
        <translation>Reminding employees</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReminderRun</name>
    <message>
        <source>Arrêt après le lot en cours…</source>
        <translation>Stopping after the current batch…</translation>
    </message>
    <message>
        <source>salarié relancé</source>
        <translation>employee reminded</translation>
    </message>
    <message>
        <source>salariés relancés</source>
        <translation>employees reminded</translation>
    </message>
    <message>
        <source>Relance interrompue</source>
        <translation>Reminders stopped</translation>
    </message>
    <message>
        <source>La relance s&apos;est arrêtée sur une erreur, après %1.</source>
        <translation>The reminders stopped on an error, after %1.</translation>
    </message>
    <message>
        <source>Vous pouvez relancer de nouveau sans risque : la relance reprend, et les salariés déjà relancés sont ignorés (une relance par 24 heures).</source>
        <translation>You can safely start again: the reminders resume, and employees already reminded are skipped (one reminder per 24 hours).</translation>
    </message>
    <message>
        <source>Le détail est dans le journal.</source>
        <translation>The details are in the log.</translation>
    </message>
    <message>
        <source>Relance en cours… %1</source>
        <translation>Reminding… %1</translation>
    </message>
    <message>
        <source>Relance en cours… %1 / %2</source>
        <translation>Reminding… %1 / %2</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Vérifier avant d&apos;envoyer</source>
        <translation>Review before sending</translation>
    </message>
    <message>
        <source>{documents} pour {recipients}, émis par {issuer}</source>
        <translation>{documents} for {recipients}, sent by {issuer}</translation>
    </message>
    <message>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>documents</translation>
    </message>
    <message>
        <source>destinataire</source>
        <translation>recipient</translation>
    </message>
    <message>
        <source>destinataires</source>
        <translation>recipients</translation>
    </message>
    <message>
        <source>Documents par destinataire</source>
        <translation>Documents per recipient</translation>
    </message>
    <message>
        <source>Avertissements ({count})</source>
        <translation>Warnings ({count})</translation>
    </message>
    <message>
        <source>fichier refusé</source>
        <translation>refused file</translation>
    </message>
    <message>
        <source>fichiers refusés</source>
        <translation>refused files</translation>
    </message>
    <message>
        <source>fichier sans destinataire</source>
        <translation>file without a recipient</translation>
    </message>
    <message>
        <source>fichiers sans destinataire</source>
        <translation>files without a recipient</translation>
    </message>
    <message>
        <source>Non envoyés : {what}.</source>
        <translation>Not sent: {what}.</translation>
    </message>
    <message>
        <source>Envoyer</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Retour</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>RightsMatrixModel</name>
    <message>
        <source>Marque %1 : %2</source>
        <extracomment>A right cell&apos;s state (bool), for the delegate and the tests. True while a save of the cell is on its way (no second toggle meanwhile).</extracomment>
        <translation>Brand %1: %2</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Ailleurs (lecture seule)</source>
        <translation>Elsewhere (read-only)</translation>
    </message>
    <message>
        <source>Supprimer l&apos;accès (Suppr)</source>
        <translation>Remove the access (Del)</translation>
    </message>
    <message>
        <source> (invitation en attente)</source>
        <translation> (invitation pending)</translation>
    </message>
    <message>
        <source>Supprimer l&apos;accès de %1 (Suppr)</source>
        <translation>Remove %1&apos;s access (Del)</translation>
    </message>
    <message>
        <source>Compte désactivé</source>
        <translation>Account disabled</translation>
    </message>
    <message>
        <source>accordé</source>
        <translation>granted</translation>
    </message>
    <message>
        <source>non accordé</source>
        <translation>not granted</translation>
    </message>
    <message>
        <source>Cliquez ou appuyez sur Espace pour le retirer.</source>
        <translation>Click or press Space to remove it.</translation>
    </message>
    <message>
        <source>Cliquez ou appuyez sur Espace pour l&apos;accorder.</source>
        <translation>Click or press Space to grant it.</translation>
    </message>
    <message>
        <source>Enregistrement en cours…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Droits ailleurs (lecture seule) :</source>
        <translation>Rights elsewhere (read-only):</translation>
    </message>
    <message>
        <source>• Marque %1 : %2</source>
        <translation>• Brand %1: %2</translation>
    </message>
    <message>
        <source>aucun</source>
        <translation>none</translation>
    </message>
</context>
<context>
    <name>RightsPage</name>
    <message>
        <source>Établissement :</source>
        <translation>Establishment:</translation>
    </message>
    <message>
        <source>+ Créer un accès</source>
        <translation>+ Create an access</translation>
    </message>
    <message>
        <source>Créer l&apos;accès d&apos;une personne à l&apos;établissement (Ctrl+N)</source>
        <translation>Create a person&apos;s access to the establishment (Ctrl+N)</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Actualiser (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Choisissez un établissement où vous êtes administrateur.</source>
        <translation>Choose an establishment where you are an administrator.</translation>
    </message>
    <message>
        <source>Vous n&apos;êtes administrateur d&apos;aucun établissement.</source>
        <translation>You are not an administrator of any establishment.</translation>
    </message>
    <message>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Chargement des droits…</source>
        <translation>Loading rights…</translation>
    </message>
    <message>
        <source>erreur inattendue.</source>
        <translation>unexpected error.</translation>
    </message>
    <message>
        <source>Les droits de l&apos;établissement %1 n&apos;ont pas pu être chargés : %2&lt;br&gt;&lt;br&gt;%3 (F5)</source>
        <translation>The rights of establishment %1 could not be loaded: %2&lt;br&gt;&lt;br&gt;%3 (F5)</translation>
    </message>
    <message>
        <source>accès</source>
        <translation>accesses</translation>
    </message>
    <message>
        <source>Personne n&apos;a encore d&apos;accès à cet établissement : créez-en un avec « + ».</source>
        <translation>Nobody has access to this establishment yet: create one with “+”.</translation>
    </message>
    <message>
        <source>%1 : droit %2 accordé à %3.</source>
        <translation>%1: right %2 granted to %3.</translation>
    </message>
    <message>
        <source>%1 : droit %2 retiré à %3.</source>
        <translation>%1: right %2 removed from %3.</translation>
    </message>
    <message>
        <source>Annulé : droit %1 de nouveau accordé à %2.</source>
        <translation>Undone: right %1 granted again to %2.</translation>
    </message>
    <message>
        <source>Annulé : droit %1 de nouveau retiré à %2.</source>
        <translation>Undone: right %1 removed again from %2.</translation>
    </message>
    <message>
        <source>Rétabli : droit %1 de nouveau accordé à %2.</source>
        <translation>Redone: right %1 granted again to %2.</translation>
    </message>
    <message>
        <source>Rétabli : droit %1 de nouveau retiré à %2.</source>
        <translation>Redone: right %1 removed again from %2.</translation>
    </message>
    <message>
        <source>Droit %1 accordé à %2</source>
        <translation>Right %1 granted to %2</translation>
    </message>
    <message>
        <source>Droit %1 retiré à %2</source>
        <translation>Right %1 removed from %2</translation>
    </message>
    <message>
        <source>%1 : non enregistré. %2</source>
        <translation>%1: not saved. %2</translation>
    </message>
    <message>
        <source>Enregistrement en cours : réessayez dans un instant.</source>
        <translation>Saving: try again in a moment.</translation>
    </message>
    <message>
        <source>Accès créé pour %1 : une invitation a été envoyée à %2.</source>
        <translation>Access created for %1: an invitation was sent to %2.</translation>
    </message>
    <message>
        <source>Accès ajouté pour %1 : un e-mail l&apos;en informe (%2).</source>
        <translation>Access added for %1: an email tells them (%2).</translation>
    </message>
    <message>
        <source>Supprimer l&apos;accès de %1 (%2) à l&apos;établissement %3 ? Tous ses droits sur cet établissement seront retirés.</source>
        <translation>Delete the access of %1 (%2) to the establishment %3? All their rights on this establishment will be removed.</translation>
    </message>
    <message>
        <source>Supprimer l&apos;accès</source>
        <translation>Delete the access</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Accès de %1 supprimé.</source>
        <translation>Access of %1 deleted.</translation>
    </message>
</context>
<context>
    <name>SendDialog</name>
    <message>
        <source>Préparation de l&apos;envoi…</source>
        <translation>Preparing the sending…</translation>
    </message>
    <message>
        <source>Reprise de l&apos;envoi…</source>
        <translation>Resuming the sending…</translation>
    </message>
    <message>
        <source>L&apos;envoi n&apos;a pas pu être préparé (disque plein ou dossier inaccessible ?).</source>
        <translation>The sending could not be prepared (disk full or folder not accessible?).</translation>
    </message>
    <message>
        <source>Ces documents sont déjà en cours d&apos;envoi dans une autre fenêtre.</source>
        <extracomment>The batches being sent in this process, by item key: a second &quot;Envoyer&quot; on the same rows is refused.</extracomment>
        <translation>These documents are already being sent in another window.</translation>
    </message>
    <message>
        <source>Envoi annulé avant son début : rien n&apos;a été envoyé.</source>
        <translation>Sending cancelled before it started: nothing was sent.</translation>
    </message>
    <message>
        <source>Envoi de %1 / %2 documents — émetteur : %3</source>
        <translation>Sending %1 / %2 documents — sender: %3</translation>
    </message>
    <message>
        <source>document envoyé</source>
        <translation>document sent</translation>
    </message>
    <message>
        <source>documents envoyés</source>
        <translation>documents sent</translation>
    </message>
    <message>
        <source>déjà envoyé auparavant (non doublé)</source>
        <translation>already sent before (not duplicated)</translation>
    </message>
    <message>
        <source>déjà envoyés auparavant (non doublés)</source>
        <translation>already sent before (not duplicated)</translation>
    </message>
    <message>
        <source>refusé</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>refusés</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>restant à envoyer</source>
        <translation>left to send</translation>
    </message>
    <message>
        <source>Envoi terminé.</source>
        <translation>Sending complete.</translation>
    </message>
    <message>
        <source>Envoi interrompu.</source>
        <translation>Sending interrupted.</translation>
    </message>
    <message>
        <source>Le reste pourra être envoyé : « Reprendre l&apos;envoi », ou au prochain démarrage.</source>
        <translation>The rest can still be sent: “Resume sending”, or at the next start.</translation>
    </message>
    <message>
        <source>Sans trousseau sécurisé, l&apos;envoi ne peut pas être repris après la fermeture de l&apos;application : ajoutez de nouveau les fichiers, les documents déjà envoyés ne seront pas doublés.</source>
        <translation>Without a secure keyring, the sending cannot be resumed once the application is closed: add the files again; documents already sent will not be duplicated.</translation>
    </message>
    <message>
        <source>L&apos;envoi s&apos;est arrêté sur une erreur inattendue ; il pourra être repris.</source>
        <translation>The sending stopped on an unexpected error; it can be resumed.</translation>
    </message>
    <message>
        <source>Arrêter l&apos;envoi ?</source>
        <translation>Stop sending?</translation>
    </message>
    <message>
        <source>Les documents déjà envoyés le restent. Les autres pourront être envoyés plus tard, sans doublon.</source>
        <translation>Documents already sent stay sent. The others can be sent later, without duplicates.</translation>
    </message>
    <message>
        <source>Arrêt de l&apos;envoi…</source>
        <translation>Stopping the sending…</translation>
    </message>
    <message>
        <source>Exporter le résumé</source>
        <translation>Export the summary</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Résumé enregistré dans %1.</source>
        <translation>Summary saved to %1.</translation>
    </message>
    <message>
        <source>Envoi des documents</source>
        <translation>Sending documents</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Avancement de l&apos;envoi</source>
        <translation>Sending progress</translation>
    </message>
    <message>
        <source>Documents de l&apos;envoi</source>
        <translation>Documents being sent</translation>
    </message>
    <message>
        <source>Exporter le résumé (CSV)…</source>
        <translation>Export the summary (CSV)…</translation>
    </message>
    <message>
        <source>Reprendre l&apos;envoi</source>
        <translation>Resume sending</translation>
    </message>
    <message>
        <source>Arrêter l&apos;envoi</source>
        <translation>Stop sending</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SendModel</name>
    <message>
        <source>Fichier</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Destinataire</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Envoi en cours…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>En attente</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Envoyé</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Déjà envoyé (pas de doublon)</source>
        <translation>Already sent (no duplicate)</translation>
    </message>
    <message>
        <source>Refusé : %1</source>
        <translation>Refused: %1</translation>
    </message>
</context>
<context>
    <name>SignatureBanner</name>
    <message>
        <source>Détails</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Masquer les détails</source>
        <translation>Hide details</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Récapitulatif</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Vérifiez la diffusion, puis lancez-la ou sauvegardez-la pour plus tard.</source>
        <translation>Check the campaign, then launch it or save it for later.</translation>
    </message>
    <message>
        <source>Recharger la diffusion (vos changements non enregistrés seront perdus)</source>
        <translation>Reload the campaign (your unsaved changes will be lost)</translation>
    </message>
</context>
<context>
    <name>TargetPage</name>
    <message>
        <source>Cible et nom</source>
        <extracomment>The cadre / non-cadre filter of the contract trigger, in the server&apos;s values. The fields of domain.campaigns&apos; errors each page answers for.</extracomment>
        <translation>Target and name</translation>
    </message>
    <message>
        <source>La diffusion concerne les salariés de la cible ; donnez-lui un nom parlant.</source>
        <translation>The campaign covers the target&apos;s employees; give it a meaningful name.</translation>
    </message>
    <message>
        <source>Diffusion Marque</source>
        <translation>Brand campaign</translation>
    </message>
    <message>
        <source>Diffusion Agence</source>
        <translation>Agency campaign</translation>
    </message>
    <message>
        <source>Ex. : Notice mutuelle 2026</source>
        <translation>E.g. Health insurance notice 2026</translation>
    </message>
    <message>
        <source>Cible :</source>
        <translation>Target:</translation>
    </message>
    <message>
        <source>Nom de la diffusion :</source>
        <translation>Campaign name:</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <source>Veuillez patienter</source>
        <extracomment>``report(done, total, message)``: a thread-safe progress callback handed to the work.</extracomment>
        <translation>Please wait</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TitleEditor</name>
    <message>
        <source>Valider</source>
        <extracomment>Why the user may not choose a type on the current issuer (French), or None when they may.</extracomment>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Valider le titre (Entrée) ; Échap annule</source>
        <translation>Confirm the title (Enter); Esc cancels</translation>
    </message>
</context>
<context>
    <name>TriggersPage</name>
    <message>
        <source>Déclencheurs</source>
        <translation>Triggers</translation>
    </message>
    <message>
        <source>Les documents partent avec le prochain bulletin ou contrat de chaque salarié.</source>
        <translation>The documents go out with each employee&apos;s next payslip or contract.</translation>
    </message>
    <message>
        <source>Bulletins de paie</source>
        <translation>Payslips</translation>
    </message>
    <message>
        <source>Contrats</source>
        <translation>Contracts</translation>
    </message>
    <message>
        <source>Envoyer à une date antérieure</source>
        <translation>Backdate the sending</translation>
    </message>
    <message>
        <source>Les salariés ayant déjà reçu un bulletin ou un contrat depuis la date de début (jusqu&apos;à 3 mois en arrière) reçoivent aussi les documents.</source>
        <translation>Employees who have already received a payslip or contract since the start date (up to 3 months back) also receive the documents.</translation>
    </message>
    <message>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Cadres</source>
        <translation>Executives</translation>
    </message>
    <message>
        <source>Non-cadres</source>
        <translation>Non-executives</translation>
    </message>
    <message>
        <source>Salariés :</source>
        <translation>Employees:</translation>
    </message>
    <message>
        <source>Toutes les entreprises clientes</source>
        <translation>All client companies</translation>
    </message>
    <message>
        <source>Contrats de mission pour :</source>
        <translation>Assignment contracts for:</translation>
    </message>
    <message>
        <source>Entreprise n° %1</source>
        <translation>Company no. %1</translation>
    </message>
</context>
<context>
    <name>ViewerWindow</name>
    <message>
        <source>{title} — Coffreo</source>
        <translation>{title} — Coffreo</translation>
    </message>
</context>
<context>
    <name>domain</name>
    <message>
        <source>Bulletin de paie</source>
        <translation>Payslip</translation>
    </message>
    <message>
        <source>Contrat de mission</source>
        <translation>Assignment contract</translation>
    </message>
    <message>
        <source>Contrat de mise à disposition</source>
        <translation>Staff provision contract</translation>
    </message>
    <message>
        <source>Facture</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <source>Relevé d&apos;heures</source>
        <translation>Timesheet</translation>
    </message>
    <message>
        <source>Attestation / Certificat de travail</source>
        <translation>Certificate / Employment certificate</translation>
    </message>
    <message>
        <source>Document diffusé</source>
        <translation>Sent document</translation>
    </message>
    <message>
        <source>Document simple</source>
        <extracomment>What the payroll/ERP deposit accepts (F7.3).</extracomment>
        <translation>Plain document</translation>
    </message>
    <message>
        <source>Document protégé</source>
        <translation>Protected document</translation>
    </message>
    <message>
        <source>Document à signer</source>
        <translation>Document to sign</translation>
    </message>
    <message>
        <source>Sans signature</source>
        <extracomment>The right each kind of document needs on the issuer agency (F3.1): the server enforces it, the desktop disables the others and says which right is missing.</extracomment>
        <translation>No signature</translation>
    </message>
    <message>
        <source>Non signé</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>Signé</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>non téléchargée</source>
        <translation>not downloaded</translation>
    </message>
    <message>
        <source>téléchargée</source>
        <translation>downloaded</translation>
    </message>
    <message>
        <source>validée</source>
        <translation>validated</translation>
    </message>
    <message>
        <source>depuis 7 jours</source>
        <translation>last 7 days</translation>
    </message>
    <message>
        <source>1 mois</source>
        <translation>1 month</translation>
    </message>
    <message>
        <source>3 mois</source>
        <translation>3 months</translation>
    </message>
    <message>
        <source>6 mois</source>
        <translation>6 months</translation>
    </message>
    <message>
        <source>1 an</source>
        <translation>1 year</translation>
    </message>
    <message>
        <source>tous</source>
        <translation>all</translation>
    </message>
    <message>
        <source>Administrateur</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Diffusion pilotée</source>
        <translation>Managed delivery</translation>
    </message>
    <message>
        <source>Diffusion libre : document simple</source>
        <translation>Free delivery: plain document</translation>
    </message>
    <message>
        <source>Diffusion libre : document protégé</source>
        <translation>Free delivery: protected document</translation>
    </message>
    <message>
        <source>Diffusion libre : document à signer</source>
        <translation>Free delivery: document to sign</translation>
    </message>
    <message>
        <source>Demandes d&apos;acomptes</source>
        <translation>Salary advance requests</translation>
    </message>
    <message>
        <source>Relevés d&apos;heures</source>
        <translation>Timesheets</translation>
    </message>
    <message>
        <source>Diffusion libre</source>
        <translation>Free delivery</translation>
    </message>
    <message>
        <source>Diffusion signée</source>
        <translation>Signed delivery</translation>
    </message>
    <message>
        <source>Recherche de documents</source>
        <translation>Document search</translation>
    </message>
    <message>
        <source>Campagnes de diffusion</source>
        <translation>Delivery campaigns</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Salariés</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>Droits et accès</source>
        <translation>Rights and access</translation>
    </message>
    <message>
        <source>Sauvegardée</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>En cours</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>Archivée</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Envoyée</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Demande acceptée. Le montant sera versé sous 48 heures.</source>
        <extracomment>Far above any advance; keeps amounts inside a 32-bit integer column on every backend.</extracomment>
        <translation>Request accepted. The amount will be paid within 48 hours.</translation>
    </message>
    <message>
        <source>Demande acceptée. L&apos;acompte sera déduit de votre prochaine paie.</source>
        <translation>Request accepted. The advance will be deducted from your next pay.</translation>
    </message>
    <message>
        <source>Acceptée partiellement : le montant demandé dépasse le maximum possible sur la période.</source>
        <translation>Partially accepted: the amount asked exceeds the maximum possible for the period.</translation>
    </message>
    <message>
        <source>Acceptée partiellement : un acompte a déjà été versé sur la période en cours.</source>
        <translation>Partially accepted: an advance was already paid in the current period.</translation>
    </message>
    <message>
        <source>Acceptée partiellement : les heures déclarées ne permettent pas un montant plus élevé.</source>
        <translation>Partially accepted: the declared hours do not allow a higher amount.</translation>
    </message>
    <message>
        <source>Refusée : aucune heure travaillée n&apos;a encore été déclarée sur la période.</source>
        <translation>Refused: no hours worked have been declared yet for the period.</translation>
    </message>
    <message>
        <source>Refusée : le maximum d&apos;acomptes de la période est déjà atteint.</source>
        <translation>Refused: the maximum of advances for the period has already been reached.</translation>
    </message>
    <message>
        <source>Refusée : la paie est en cours de clôture, merci de renouveler votre demande.</source>
        <translation>Refused: the payroll is being closed, please send your request again.</translation>
    </message>
    <message>
        <source>Acceptée</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Acceptée partiellement</source>
        <translation>Partially accepted</translation>
    </message>
    <message>
        <source>Refusée</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Annulée</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Identifiant</source>
        <extracomment>The CSV&apos;s name inside an export ZIP; the PDFs sit beside it in one folder per agency.</extracomment>
        <translation>ID</translation>
    </message>
    <message>
        <source>Agence</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Type de document</source>
        <translation>Document type</translation>
    </message>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Date du document</source>
        <translation>Document date</translation>
    </message>
    <message>
        <source>Planifiée</source>
        <extracomment>The widest a date picker may go back (3 months are at most 92 days); the exact bound is earliest_start.</extracomment>
        <translation>Scheduled</translation>
    </message>
    <message>
        <source>Matricule</source>
        <translation>Employee ID</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Diffusé le</source>
        <translation>Delivered on</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Numéro de contrat</source>
        <translation>Contract number</translation>
    </message>
    <message>
        <source>Numéro de facture</source>
        <translation>Invoice number</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Signé le</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <source>État de la facture</source>
        <translation>Invoice state</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Taille (octets)</source>
        <translation>Size (bytes)</translation>
    </message>
    <message>
        <source>Déposé le</source>
        <translation>Uploaded on</translation>
    </message>
    <message>
        <source>Fichier</source>
        <translation>File</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Coffreo Desktop</source>
        <extracomment>The server&apos;s tokens (access, refresh, invitation, API key): a prefix and 43 URL-safe characters. At least 30 after the prefix, so that names such as &quot;ck_campaigns_one_scope&quot; stay readable.</extracomment>
        <translation>Coffreo Desktop</translation>
    </message>
    <message>
        <source>Une erreur inattendue est survenue…</source>
        <translation>An unexpected error occurred…</translation>
    </message>
    <message>
        <source>Vous pouvez continuer. Si le problème revient, écrivez au support en joignant le journal : {path}</source>
        <translation>You can carry on. If the problem comes back, write to support and attach the log: {path}</translation>
    </message>
</context>
</TS>
