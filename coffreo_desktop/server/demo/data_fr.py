"""French data tables of the demo: names, streets and towns, jobs, client companies, the texts of
contracts and campaign notices. Only data, and ``items`` to read the compact tables."""

from __future__ import annotations


def items(text: str, sep: str = ",") -> tuple[str, ...]:
    """The entries of a compact text table, one per line (``sep="\\n"``) or separated by commas across
    wrapped lines (keeps long lists of names readable and short)."""
    parts = text.splitlines() if sep == "\n" else " ".join(text.split()).split(sep)
    return tuple(part.strip() for part in parts if part.strip())


MONTHS = items(
    "janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre"
)
MALE = items("""
Jean, Lucas, Hugo, Théo, Raphaël, Léo, Nathan, Mathéo, Gabriel, Louis, Arthur, Jules, Noé, Mohamed,
Karim, Yanis, Mehdi, Sébastien, Jérôme, Frédéric, Stéphane, Grégory, Benoît, François, Rémi, Julien,
Nicolas, Thomas, Antoine, Cédric, Loïc, Aurélien, Maxime, Kévin, Dylan, Ibrahim, Moussa, Adrien,
Bastien, Alexandre, Damien, Guillaume, Pierre, Mathis, Enzo, Timothée, Joël, Hervé, Gaëtan, Valentin,
Anthony, Jean-Marc, Jean-Luc, Hamza
""")
FEMALE = items("""
Léa, Chloé, Emma, Manon, Inès, Camille, Élodie, Sarah, Laura, Julie, Aurélie, Céline, Émilie, Hélène,
Nadia, Fatima, Yasmine, Amélie, Anaïs, Océane, Maëlle, Zoé, Clémence, Mélanie, Sandrine, Nathalie,
Isabelle, Sophie, Agnès, Bérénice, Noémie, Coralie, Justine, Mégane, Léna, Jade, Louise, Margaux,
Pauline, Lucie, Aïcha, Sonia, Valérie, Stéphanie, Gaëlle, Héloïse, Capucine, Rose, Marie-Hélène,
Anne-Sophie, Ophélie, Ndeye
""")
LAST = items("""
Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefèvre,
Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, Lefebvre, Mercier,
Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller,
Henry, Roussel, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier, Robin,
Masson, Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Roche, Noël, Meyer, Meunier, Pérez,
Marchand, Dufour, Blanchard, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux, Colin, Fernandez, Renard,
Arnaud, Rolland, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard,
Lacroix, Fabre, Dupuis, Olivier, Rodriguez, Hubert, Guillot, Rivière, Moulin, Gonzalez, Berger, Lecomte,
Ménard, Fleury, Deschamps, Carpentier, Maillard, Aubry, Vasseur, Renault, Jacquet, Prévost, Poirier,
Charpentier, Huet, Baron, Dupuy, Carré, Breton, Rémy, Schneider, Perrot, Guyot, Barré, Marty, Benali,
Haddad, Traoré, Diallo, Bensaïd, Kaci, Cissé, Lebœuf, Bénard, Hénaff, Géraud, Béranger, Thébault,
Lemaître, Pélissier, Côté, Da Silva, Le Gall, Le Roux, N'Diaye
""")
STREETS = items("""
rue de la République, avenue Victor-Hugo, rue Jean-Jaurès, allée des Lilas, rue Pasteur, rue de la Gare,
avenue du Général-de-Gaulle, place des Écoles, rue Émile-Zola, boulevard Voltaire, impasse des Tilleuls,
chemin du Moulin, rue de Verdun, rue Gambetta, rue de l'Église, avenue Anatole-France, allée des
Peupliers, rue Jules-Ferry, rue des Écoles, avenue de la Libération, rue du Château, rue Lamartine, rue
des Prés
""")
#: Where people live around each agency: "postcode city" entries per agency code.
TOWNS: dict[str, tuple[tuple[str, str], ...]] = {
    line.split(":")[0]: tuple((town[:5], town[6:]) for town in items(line.split(":")[1]))
    for line in items(
        """
PAR11: 75011 Paris, 75012 Paris, 75020 Paris, 93100 Montreuil, 94300 Vincennes, 93170 Bagnolet
NAN: 92000 Nanterre, 92700 Colombes, 92500 Rueil-Malmaison, 92800 Puteaux, 92400 Courbevoie, 92150 Suresnes
MLV: 77420 Champs-sur-Marne, 77186 Noisiel, 77200 Torcy, 77500 Chelles, 93160 Noisy-le-Grand, 77185 Lognes
LYO: 69003 Lyon, 69007 Lyon, 69008 Lyon, 69200 Vénissieux, 69500 Bron
VIL: 69100 Villeurbanne, 69120 Vaulx-en-Velin, 69150 Décines-Charpieu, 69140 Rillieux-la-Pape
GRE: 38000 Grenoble, 38130 Échirolles, 38400 Saint-Martin-d'Hères, 38600 Fontaine, 38240 Meylan, 38500 Voiron
""",
        sep="\n",
    )
}
#: masculine / feminine / hourly gross rate in euros; the last CADRE_JOBS are cadre positions
JOBS = tuple(
    tuple(part.strip() for part in line.split("/"))
    for line in items(
        """
Préparateur de commandes / Préparatrice de commandes / 12.10
Cariste / Cariste / 12.60
Manutentionnaire / Manutentionnaire / 11.90
Agent de production / Agente de production / 12.00
Opérateur de production / Opératrice de production / 12.40
Soudeur / Soudeuse / 14.80
Électricien / Électricienne / 15.20
Maçon / Maçonne / 14.10
Aide-soignant / Aide-soignante / 13.20
Agent d'entretien / Agente d'entretien / 11.95
Conducteur poids lourd / Conductrice poids lourd / 13.60
Serveur / Serveuse / 12.05
Commis de cuisine / Commis de cuisine / 12.00
Employé administratif / Employée administrative / 12.50
Assistant comptable / Assistante comptable / 14.30
Hôte de caisse / Hôtesse de caisse / 11.95
Technicien de maintenance / Technicienne de maintenance / 16.40
Magasinier / Magasinière / 12.30
Conducteur de ligne / Conductrice de ligne / 13.40
Ingénieur méthodes / Ingénieure méthodes / 26.50
Chef de chantier / Cheffe de chantier / 22.80
Responsable logistique / Responsable logistique / 24.10
Contrôleur de gestion / Contrôleuse de gestion / 25.60
""",
        sep="\n",
    )
)
CADRE_JOBS = 4
#: Client companies: name / region (0 Île-de-France, 1 Rhône-Alpes) / mail domain
CLIENTS = tuple(
    tuple(part.strip() for part in line.split("/"))
    for line in items(
        """
Logistique Marchand SAS / 0 / logistique-marchand.fr
Transports Rivière et Fils / 0 / transports-riviere.fr
Boulangeries Lemaître / 0 / boulangeries-lemaitre.fr
Clinique du Parc Montsouris / 0 / clinique-parc.fr
Entrepôts de la Seine / 0 / entrepots-seine.fr
Imprimerie Fontaine & Cie / 0 / imprimerie-fontaine.fr
Bâtiment Perrin Construction / 0 / perrin-construction.fr
Hôtel Régence Opéra / 0 / regence-opera.fr
Nettoyage Pro Île-de-France / 0 / nettoyage-pro-idf.fr
Laboratoires Béranger / 0 / labo-beranger.fr
Menuiserie Guérin SARL / 0 / menuiserie-guerin.fr
Restauration Collective Nanterre / 0 / rc-nanterre.fr
EHPAD Les Tilleuls / 0 / ehpad-lestilleuls.fr
Plasturgie du Rhône / 1 / plasturgie-rhone.fr
Métallerie Dauphinoise / 1 / metallerie-dauphinoise.fr
Brasserie du Vieux-Lyon / 1 / brasserie-vieuxlyon.fr
Conserverie Thébault / 1 / conserverie-thebault.fr
Électricité Morel & Associés / 1 / morel-electricite.fr
Clinique des Alpes / 1 / clinique-alpes.fr
Agroalimentaire Pélissier / 1 / pelissier-agro.fr
Transports Giraud Isère / 1 / giraud-isere.fr
Chimie Fine de Saint-Fons / 1 / chimie-saintfons.fr
Grands Magasins Confluence / 1 / gm-confluence.fr
Papeterie de Voiron / 1 / papeterie-voiron.fr
Résidence Les Glycines / 1 / residence-glycines.fr
BTP Rolland Rhône-Alpes / 1 / rolland-btp.fr
""",
        sep="\n",
    )
)
MAIL_DOMAINS = items("gmail.com, orange.fr, free.fr, laposte.net, hotmail.fr, sfr.fr, outlook.fr, yahoo.fr")

# -- texts of the documents ----------------------------------------------------------------------

#: Terms printed in contracts and certificates, picked with the seed of each document.
BANKS = ("Atradius Crédito y Caución", "Crédit Agricole Corporate", "Société Générale", "BNP Paribas")
PENSION_FUNDS = ("Malakoff Humanis Agirc-Arrco", "AG2R La Mondiale Agirc-Arrco", "Klesia Agirc-Arrco")
WORKING_HOURS = (
    "35 h par semaine, du lundi au vendredi, 8 h - 12 h / 13 h - 16 h",
    "35 h par semaine en équipe alternée, 5 h - 12 h ou 13 h - 20 h",
    "37 h par semaine, du lundi au vendredi, 7 h 30 - 15 h 30 (RTT selon l'entreprise)",
)
POST_RISKS = (
    "Poste ne figurant pas sur la liste des postes à risques particuliers",
    "Port de charges ponctuel ; conduite d'engins soumise à autorisation (CACES)",
    "Station debout prolongée ; travail en environnement bruyant",
)
PROTECTIVE_EQUIPMENT = (
    "Chaussures de sécurité et gants, fournis par l'entreprise utilisatrice",
    "Chaussures de sécurité fournies par l'agence ; gilet haute visibilité fourni sur site",
    "Aucun équipement de protection individuelle particulier",
)
#: Campaign notices: key -> (title, paragraphs).
NOTICES = {
    "securite": (
        "Consignes de sécurité sur les sites clients",
        (
            "Avant votre prise de poste, l'entreprise utilisatrice vous présente les risques du poste et les "
            "consignes de sécurité du site. Demandez-les si elles ne vous ont pas été remises.",
            "Vos équipements de protection individuelle (chaussures, gants, gilet) sont obligatoires sur "
            "les zones signalées. En cas d'accident, même bénin, prévenez votre responsable sur site et "
            "votre agence dans les 24 heures.",
            "Vous pouvez exercer votre droit de retrait face à un danger grave et imminent : informez-en "
            "votre agence immédiatement.",
        ),
    ),
    "accueil": (
        "Livret d'accueil des intérimaires",
        (
            "Bienvenue chez Alto Intérim. Ce livret rassemble ce qu'il faut savoir pour vos missions : "
            "relevés d'heures, paie, acomptes, congés payés et indemnités de fin de mission.",
            "Votre paie est versée chaque mois par virement ; votre bulletin arrive dans votre coffre-fort "
            "numérique, où il reste disponible 50 ans.",
            "Le FASTT propose des aides au logement, à la mobilité et à la garde d'enfants : renseignez-vous "
            "auprès de votre agence.",
        ),
    ),
    "sante": (
        "Notice d'information - complémentaire santé 2026",
        (
            "En tant qu'intérimaire, vous bénéficiez de la complémentaire santé de la branche du travail "
            "temporaire dès 414 heures de mission sur les douze derniers mois.",
            "La cotisation est partagée à parts égales entre vous et l'agence. Une dispense est possible sur "
            "justificatif si vous êtes déjà couvert par ailleurs.",
            "Les garanties et les tableaux de remboursement sont consultables sur le site de l'assureur.",
        ),
    ),
    "hauteur": (
        "Guide de prévention : le travail en hauteur",
        (
            "Le travail en hauteur est l'une des premières causes d'accidents graves. Il n'est permis "
            "qu'avec des protections collectives (garde-corps) ou, à défaut, un harnais relié à un point "
            "d'ancrage.",
            "L'usage d'un échafaudage roulant demande une formation ; une échelle n'est pas un poste de "
            "travail.",
            "Signalez tout équipement défectueux à votre responsable sur site et à votre agence.",
        ),
    ),
    "cse": (
        "Élections du CSE : information des salariés intérimaires",
        (
            "Les salariés intérimaires sont électeurs au CSE de l'agence dès trois mois d'ancienneté.",
            "Le vote se déroule par voie électronique ; vos codes vous sont adressés par courrier.",
            "Les listes de candidats et le protocole d'accord préélectoral sont affichés en agence.",
        ),
    ),
}
