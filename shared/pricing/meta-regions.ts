/**
 * Which countries Meta's regional rate-card markets cover ("North America", "Rest of Africa", …).
 * Meta's rate card prices some countries on rows of their own and groups the rest into these
 * regions; every country in neither is priced on the "Other" row.
 *
 * Source (read 2026-12-05): the region membership transcribed from Meta's market list in
 * github.com/OJoshuaCG/meta-whatsapp-pricing, db/migrate_market_country.sql at commit
 * ca9d28c06afe9d518a0880296ad6070f6ccd2f20 ("Lista oficial de países y regiones de Meta",
 * Meta_Countries.csv). A second public copy (a rate-card loader in the public code index, not
 * attributable to a repository) lists the same countries region by region. Names are as the source
 * spells them, except "Republic of the Congo (Brazzaville)", written "Republic of the Congo" as the
 * second copy does. "North America" is Canada and the United States (both copies).
 *
 * This is the membership of the card effective 2025-10-01 (Zimbabwe moved from Other to Rest of
 * Africa on that date; both copies have it). On 2026-10-01 Meta gave nine of these countries rows of
 * their own (shipped-card.ts `standalone_markets`): a CSV that has a country's own row prices it by
 * that row, whatever region lists it here (csv.ts).
 *
 * Country names become ISO codes through the CSV importer's own mapping (csv.ts `marketCode`).
 */
export const META_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'North America': ['Canada', 'United States'],
  'Rest of Africa': [
    'Algeria',
    'Angola',
    'Benin',
    'Botswana',
    'Burkina Faso',
    'Burundi',
    'Cameroon',
    'Chad',
    'Eritrea',
    'Ethiopia',
    'Gabon',
    'Gambia',
    'Ghana',
    'Guinea-Bissau',
    'Ivory Coast',
    'Kenya',
    'Lesotho',
    'Liberia',
    'Libya',
    'Madagascar',
    'Malawi',
    'Mali',
    'Mauritania',
    'Morocco',
    'Mozambique',
    'Namibia',
    'Niger',
    'Republic of the Congo',
    'Rwanda',
    'Senegal',
    'Sierra Leone',
    'Somalia',
    'South Sudan',
    'Sudan',
    'Swaziland',
    'Tanzania',
    'Togo',
    'Tunisia',
    'Uganda',
    'Zambia',
    'Zimbabwe',
  ],
  'Rest of Asia Pacific': [
    'Afghanistan',
    'Australia',
    'Bangladesh',
    'Cambodia',
    'China',
    'Hong Kong',
    'Japan',
    'Laos',
    'Mongolia',
    'Nepal',
    'New Zealand',
    'Papua New Guinea',
    'Philippines',
    'Singapore',
    'Sri Lanka',
    'Taiwan',
    'Tajikistan',
    'Thailand',
    'Turkmenistan',
    'Uzbekistan',
    'Vietnam',
  ],
  'Rest of Central & Eastern Europe': [
    'Albania',
    'Armenia',
    'Azerbaijan',
    'Belarus',
    'Bulgaria',
    'Croatia',
    'Czech Republic',
    'Georgia',
    'Greece',
    'Hungary',
    'Latvia',
    'Lithuania',
    'Moldova',
    'North Macedonia',
    'Poland',
    'Romania',
    'Serbia',
    'Slovakia',
    'Slovenia',
    'Ukraine',
  ],
  'Rest of Latin America': [
    'Bolivia',
    'Costa Rica',
    'Dominican Republic',
    'Ecuador',
    'El Salvador',
    'Guatemala',
    'Haiti',
    'Honduras',
    'Jamaica',
    'Nicaragua',
    'Panama',
    'Paraguay',
    'Puerto Rico',
    'Uruguay',
    'Venezuela',
  ],
  'Rest of Middle East': ['Bahrain', 'Iraq', 'Jordan', 'Kuwait', 'Lebanon', 'Oman', 'Qatar', 'Yemen'],
  'Rest of Western Europe': ['Austria', 'Belgium', 'Denmark', 'Finland', 'Ireland', 'Norway', 'Portugal', 'Sweden', 'Switzerland'],
};

export const META_REGIONS_SOURCE = {
  title: "Meta's market-to-region list, as transcribed in OJoshuaCG/meta-whatsapp-pricing (db/migrate_market_country.sql)",
  url: 'https://github.com/OJoshuaCG/meta-whatsapp-pricing/blob/ca9d28c06afe9d518a0880296ad6070f6ccd2f20/db/migrate_market_country.sql',
  read: '2026-12-05',
} as const;
