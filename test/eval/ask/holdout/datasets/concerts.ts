import { createRandom } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

/** Stadium name, location, capacity (distinct), opening year, relative number of concerts. */
const stadiumSpecs: [string, string, number, number, number][] = [
  ["Northgate Arena", "Manchester", 21_000, 1995, 6],
  ["Riverside Dome", "London", 52_400, 2007, 8.5],
  ["Harbour Bowl", "Sydney", 38_250, 1988, 3.2],
  ["Crown Park", "London", 9_800, 1972, 4.4],
  ["Sunset Amphitheatre", "Los Angeles", 17_600, 2001, 5.1],
  ["Iron Gate Stadium", "Chicago", 61_500, 1979, 2.3],
  ["Maple Leaf Gardens Hall", "Toronto", 8_450, 1964, 3.6],
  ["Estadio Luz", "Lisbon", 45_700, 2003, 2.7],
  ["Tokyo Sky Hall", "Tokyo", 12_900, 2012, 4.9],
  ["Olympia Field", "Berlin", 74_200, 1936, 1.4],
  ["Seaside Pavilion", "Brighton", 5_300, 1998, 1.9],
  ["Aurora Center", "Stockholm", 16_100, 2016, 3.9],
  ["Copper Canyon Arena", "Phoenix", 6_700, 2010, 1.1],
  ["Greenfield Ground", "Dublin", 33_800, 1957, 2.1],
];

/** Singer name, country, genre, sex ('T' male), age, debut year, net worth in millions, popularity (0: never on stage). */
const singerSpecs: [string, string, string, "T" | "F", number, number, number, number][] = [
  ["Joe Marlowe", "United States", "Rock", "T", 52, 1994, 41.5, 5],
  ["Lena Voss", "Germany", "Pop", "F", 29, 2014, 12.2, 7],
  ["Tomás Rivera", "Spain", "Latin", "T", 34, 2010, 18.7, 4.5],
  ["Aiko Hayashi", "Japan", "Pop", "F", 26, 2017, 9.4, 6.2],
  ["Marcus Bell", "United States", "Hip Hop", "T", 38, 2006, 66.1, 8.4],
  ["Chloé Bernard", "France", "Pop", "F", 31, 2012, 14.9, 4.1],
  ["Kwame Mensah", "United Kingdom", "R&B", "T", 43, 2001, 22.8, 3.6],
  ["Ingrid Solberg", "Norway", "Folk", "F", 47, 1998, 7.3, 2.2],
  ["Diego Alvarez", "Mexico", "Latin", "T", 27, 2016, 11.1, 5.8],
  ["Priya Raman", "India", "Pop", "F", 24, 2019, 4.6, 3.9],
  ["Sam Okafor", "United Kingdom", "Hip Hop", "T", 33, 2011, 30.4, 6.6],
  ["Hannah Reed", "United States", "Country", "F", 36, 2008, 25.5, 4.8],
  ["Liam Gallagher-Price", "Ireland", "Rock", "T", 49, 1996, 35.2, 3.3],
  ["Sofia Conti", "Italy", "Pop", "F", 39, 2005, 16.3, 3.1],
  ["Kenji Mori", "Japan", "Rock", "T", 41, 2003, 13.8, 2.9],
  ["Ava Lindqvist", "Sweden", "Pop", "F", 28, 2015, 10.9, 5.4],
  ["Caleb Hunt", "Canada", "Country", "T", 45, 2000, 19.6, 2.6],
  ["Mariana Lopes", "Brazil", "Latin", "F", 32, 2012, 15.7, 4.4],
  ["Nate Summers", "Canada", "Pop", "T", 23, 2020, 3.2, 4.9],
  ["Yara Haddad", "United Arab Emirates", "R&B", "F", 30, 2013, 8.8, 2.4],
  ["Oscar Nilsson", "Sweden", "Electronic", "T", 35, 2009, 27.9, 5.2],
  ["Grace O'Neill", "Ireland", "Folk", "F", 42, 2004, 6.5, 1.8],
  ["DJ Kato", "Japan", "Electronic", "T", 37, 2007, 21.4, 3.8],
  ["Bella Martins", "Brazil", "Pop", "F", 25, 2018, 5.9, 3.4],
  ["Ruben Dias", "Portugal", "Latin", "T", 40, 2006, 9.9, 1.6],
  ["Emily Carter", "United States", "Pop", "F", 22, 2021, 2.7, 6.9],
  ["Felix Wagner", "Germany", "Electronic", "T", 44, 2002, 17.2, 2.7],
  ["Nadia Petrova", "Russia", "Classical", "F", 53, 1993, 12.6, 1.2],
  ["Jonah Brooks", "United States", "Country", "T", 48, 1999, 29.3, 2.1],
  ["Mei Lin", "China", "Pop", "F", 27, 2017, 7.8, 3.7],
  ["Arjun Kapoor", "India", "Hip Hop", "T", 31, 2014, 8.1, 2.8],
  ["Zoe Laurent", "France", "Electronic", "F", 34, 2011, 11.6, 2.5],
  ["Tyler Grant", "Australia", "Rock", "T", 39, 2008, 15.1, 3],
  ["Isla Campbell", "Australia", "Folk", "F", 29, 2016, 4.1, 1.9],
  ["Viktor Hale", "United Kingdom", "Rock", "T", 56, 1990, 48.7, 1.4],
  ["Camila Duarte", "Mexico", "Latin", "F", 26, 2018, 6.2, 3.5],
  ["Leo Brandt", "Germany", "Rock", "T", 30, 2015, 5.4, 1.3],
  ["Sienna Hart", "United States", "R&B", "F", 35, 2010, 19.9, 3.2],
  ["Pablo Ortega", "Spain", "Pop", "T", 46, 2000, 13.3, 1.7],
  ["Freya Holm", "Denmark", "Electronic", "F", 24, 2020, 2.3, 2],
  ["Ravi Menon", "India", "Classical", "T", 58, 1988, 4.9, 0.8],
  ["Olivia Park", "South Korea", "Pop", "F", 21, 2022, 1.6, 4.6],
  ["Hugo Laine", "Finland", "Rock", "T", 50, 1995, 8.6, 0],
  ["Maya Brooks", "United States", "Folk", "F", 44, 2003, 3.9, 0],
];

const themes: (readonly [string, number])[] = [
  ["Free choice", 4],
  ["Acoustic Night", 2.2],
  ["Party All Night", 3.1],
  ["Wide Awake", 1.4],
  ["Summer Festival", 2.7],
  ["Unplugged", 1.1],
  ["Greatest Hits", 1.8],
  ["Charity Gala", 0.7],
];

const concertWords = [
  "Auditions",
  "Super Bootcamp",
  "Home Visits",
  "Week 1",
  "Week 2",
  "Semi Final",
  "Grand Final",
  "Live Tour",
  "Encore",
  "Showcase",
  "Spotlight",
  "Homecoming",
  "Reunion",
  "Open Air",
  "Night Session",
  "Gala",
];

const titleFirst = [
  "Golden",
  "Midnight",
  "Electric",
  "Silent",
  "Broken",
  "Neon",
  "Wild",
  "Crimson",
  "Paper",
  "Velvet",
  "Summer",
  "Lonely",
  "Burning",
  "Frozen",
  "Hidden",
  "Endless",
  "Dancing",
  "Silver",
  "Faded",
  "Restless",
  "Sweet",
  "Northern",
  "Falling",
  "Secret",
];

const titleSecond = [
  "Hour",
  "Rain",
  "Heart",
  "Road",
  "Dreams",
  "Lights",
  "River",
  "Skies",
  "Fire",
  "Echoes",
  "Shadows",
  "Letters",
  "Waves",
  "Horizon",
  "Promise",
  "Stars",
  "Garden",
  "Highway",
  "Memories",
  "Thunder",
  "Ocean",
  "Kingdom",
];

/**
 * Concerts in the style of the Spider benchmark's `concert_singer` database: `Singer_ID`,
 * `Is_male` as 'T'/'F', `Stadium_ID`, `Highest`/`Lowest`/`Average` attendance — stadiums,
 * singers, concerts, who sang in which concert, songs and concert set lists.
 */
export function generateConcerts(scale = 1): Table[] {
  const random = createRandom(7_254_031);

  const stadiums = stadiumSpecs.map(([Name, Location, Capacity, Opening_year], index) => {
    const Average = Math.round(Capacity * random.around(0.72, 0.1, 0.45, 0.95)) + index;
    return {
      Stadium_ID: index + 1,
      Location,
      Name,
      Capacity,
      Highest: Math.min(Capacity, Math.round(Average * random.around(1.25, 0.06, 1.1, 1.4))),
      Lowest: Math.round(Average * random.around(0.55, 0.08, 0.3, 0.8)),
      Average,
      Opening_year,
    };
  });

  const singers = singerSpecs.map(
    ([Name, Country, Genre, Is_male, Age, Debut_Year, Net_Worth_Millions], index) => ({
      Singer_ID: index + 1,
      Name,
      Country,
      Genre,
      Age,
      Is_male,
      Debut_Year,
      Net_Worth_Millions,
    }),
  );

  // Songs: every singer has some, more for longer careers.
  const songs: Row[] = [];
  const usedTitles = new Set<string>();
  for (const singer of singers) {
    const count = Math.max(3, Math.round(random.around(4 + (2025 - singer.Debut_Year) / 2.2, 3, 3, 28)));
    for (let n = 0; n < count; n++) {
      let title: string;
      do {
        title = `${random.pick(titleFirst)} ${random.pick(titleSecond)}`;
        if (random.chance(0.15)) title = `${title} (Live)`;
      } while (usedTitles.has(title));
      usedTitles.add(title);
      const popularity = singerSpecs[singer.Singer_ID - 1]![7];
      const position = random.chance(0.15 + popularity / 40)
        ? random.int(1, 10)
        : random.chance(0.7)
          ? random.int(11, 100)
          : null;
      songs.push({
        Song_ID: 0,
        Title: title,
        Singer_ID: singer.Singer_ID,
        Release_Year: random.int(singer.Debut_Year, 2025),
        Duration_sec: Math.round(random.around(singer.Genre === "Classical" ? 420 : 215, 45, 120, 720)),
        Sales: Math.round(
          random.around(120_000 * (0.4 + popularity), 90_000 * (0.4 + popularity), 800, 4_000_000),
        ),
        Highest_Position: position,
      });
    }
  }
  songs.sort(
    (a, b) =>
      (a.Release_Year as number) - (b.Release_Year as number) ||
      String(a.Title).localeCompare(String(b.Title)),
  );
  songs.forEach((row, index) => {
    row.Song_ID = index + 1;
  });
  // One clear best seller.
  songs[411 % songs.length]!.Sales = 5_250_000;

  const concerts: Row[] = [];
  const lineups: Row[] = [];
  const setlists: Row[] = [];
  const usedNames = new Set<string>();
  const stadiumWeights = stadiums.map((stadium, index) => [stadium, stadiumSpecs[index]![4]] as const);
  const singerWeights = singers
    .filter((_, index) => singerSpecs[index]![7] > 0)
    .map((singer) => [singer, singerSpecs[singer.Singer_ID - 1]![7] + singer.Singer_ID / 500] as const);
  const years = Array.from({ length: 12 }, (_, n) => 2014 + n);
  for (const year of years) {
    const count = Math.round(
      (12 + (year - 2014) * 1.6 - (year === 2020 ? 14 : year === 2021 ? 7 : 0)) * scale,
    );
    for (let n = 0; n < count; n++) {
      const Theme = random.weighted(themes);
      let stadium = random.weighted(stadiumWeights);
      while (stadium.Opening_year > year) stadium = random.weighted(stadiumWeights);
      let concert_Name: string;
      do {
        concert_Name =
          `${random.pick(concertWords)} ${random.pick(["", "", "Live", "Special", "XL"])}`.trim();
        concert_Name = `${stadium.Location} ${concert_Name}`;
        if (usedNames.has(concert_Name)) concert_Name = `${concert_Name} ${year}`;
      } while (usedNames.has(concert_Name));
      usedNames.add(concert_Name);
      const concert_ID = concerts.length + 1;
      concerts.push({
        concert_ID,
        concert_Name,
        Theme,
        Stadium_ID: stadium.Stadium_ID,
        Year: year,
        Ticket_Price: Math.round(random.around(65 + stadium.Capacity / 2_000, 18, 20, 180) * 100) / 100,
      });
      const size = random.weighted([
        [1, 3],
        [2, 4],
        [3, 3],
        [4, 1.5],
        [5, 0.6],
      ] as const);
      const performers = new Set<number>();
      for (let k = 0; k < size; k++) {
        const singer = random.weighted(singerWeights.filter(([entry]) => entry.Debut_Year <= year));
        if (performers.has(singer.Singer_ID)) continue;
        performers.add(singer.Singer_ID);
        lineups.push({
          concert_ID,
          Singer_ID: singer.Singer_ID,
          Is_headliner: performers.size === 1 ? "T" : "F",
        });
      }
      let slot = 0;
      for (const singerId of performers) {
        const repertoire = songs.filter(
          (song) => song.Singer_ID === singerId && (song.Release_Year as number) <= year,
        );
        if (repertoire.length === 0) continue;
        const played = new Set<number>();
        const length = performers.size === 1 ? random.int(8, 14) : random.int(3, 7);
        for (let k = 0; k < length; k++) {
          const song = random.pick(repertoire);
          if (played.has(song.Song_ID as number)) continue;
          played.add(song.Song_ID as number);
          slot += 1;
          setlists.push({ concert_ID, Song_ID: song.Song_ID, Slot: slot });
        }
      }
      if (slot === 0) {
        // A headliner with nothing released yet plays a cover of an older hit.
        setlists.push({
          concert_ID,
          Song_ID: random.pick(songs.filter((song) => (song.Release_Year as number) <= year)).Song_ID,
          Slot: 1,
        });
      }
    }
  }

  return [
    tableOf("stadium", stadiums),
    tableOf("singer", singers),
    tableOf("concert", concerts),
    tableOf("singer_in_concert", lineups),
    tableOf("song", songs),
    tableOf("setlist", setlists),
  ];
}
