import { personNames } from "../../datasets/names.js";
import { createRandom } from "../../datasets/random.js";
import { type Table, tableOf } from "../../datasets/table.js";

/** Airline, abbreviation, country, share of the flights (all distinct; the last has none). */
const airlineSpecs: [string, string, string, number][] = [
  ["United Airlines", "UAL", "USA", 15],
  ["US Airways", "USAir", "USA", 7.5],
  ["Delta Airlines", "Delta", "USA", 17],
  ["Southwest Airlines", "Southwest", "USA", 12.5],
  ["American Airlines", "American", "USA", 14],
  ["JetBlue Airways", "JetBlue", "USA", 9],
  ["Frontier Airlines", "Frontier", "USA", 5.5],
  ["Alaska Airlines", "Alaska", "USA", 6.5],
  ["Air Canada", "AirCanada", "Canada", 4.5],
  ["Lufthansa", "DLH", "Germany", 3.5],
  ["British Airways", "BA", "United Kingdom", 2.8],
  ["Aer Lingus", "AerLingus", "Ireland", 1.6],
  ["Virgin America", "Virgin", "USA", 0],
];

/** City, code, airport name, country, country abbreviation, traffic weight. */
const airportSpecs: [string, string, string, string, string, number][] = [
  ["Atlanta", "ATL", "Hartsfield-Jackson Atlanta International", "United States", "US", 30],
  ["Chicago", "ORD", "O'Hare International", "United States", "US", 27],
  ["Dallas", "DFW", "Dallas/Fort Worth International", "United States", "US", 24],
  ["Denver", "DEN", "Denver International", "United States", "US", 21.5],
  ["Los Angeles", "LAX", "Los Angeles International", "United States", "US", 19],
  ["New York", "JFK", "John F. Kennedy International", "United States", "US", 17],
  ["New York", "LGA", "LaGuardia", "United States", "US", 9.3],
  ["San Francisco", "SFO", "San Francisco International", "United States", "US", 13.6],
  ["Seattle", "SEA", "Seattle-Tacoma International", "United States", "US", 11.2],
  ["Las Vegas", "LAS", "Harry Reid International", "United States", "US", 10.4],
  ["Orlando", "MCO", "Orlando International", "United States", "US", 8.7],
  ["Miami", "MIA", "Miami International", "United States", "US", 8.1],
  ["Charlotte", "CLT", "Charlotte Douglas International", "United States", "US", 7.6],
  ["Phoenix", "PHX", "Phoenix Sky Harbor International", "United States", "US", 7.1],
  ["Houston", "IAH", "George Bush Intercontinental", "United States", "US", 6.6],
  ["Houston", "HOU", "William P. Hobby", "United States", "US", 3.1],
  ["Boston", "BOS", "Logan International", "United States", "US", 6.2],
  ["Minneapolis", "MSP", "Minneapolis-Saint Paul International", "United States", "US", 5.7],
  ["Detroit", "DTW", "Detroit Metropolitan Wayne County", "United States", "US", 5.3],
  ["Philadelphia", "PHL", "Philadelphia International", "United States", "US", 4.9],
  ["Newark", "EWR", "Newark Liberty International", "United States", "US", 4.6],
  ["Salt Lake City", "SLC", "Salt Lake City International", "United States", "US", 4.2],
  ["Baltimore", "BWI", "Baltimore/Washington International", "United States", "US", 3.8],
  ["Washington", "DCA", "Ronald Reagan Washington National", "United States", "US", 3.5],
  ["Washington", "IAD", "Washington Dulles International", "United States", "US", 3.3],
  ["San Diego", "SAN", "San Diego International", "United States", "US", 2.9],
  ["Tampa", "TPA", "Tampa International", "United States", "US", 2.6],
  ["Portland", "PDX", "Portland International", "United States", "US", 2.4],
  ["Austin", "AUS", "Austin-Bergstrom International", "United States", "US", 2.2],
  ["Chicago", "MDW", "Midway International", "United States", "US", 2],
  ["Albuquerque", "ABQ", "Albuquerque International Sunport", "United States", "US", 1.4],
  ["Anchorage", "ANC", "Ted Stevens Anchorage International", "United States", "US", 1.2],
  ["Boise", "BOI", "Boise Airport", "United States", "US", 0.9],
  ["Aberdeen", "ABR", "Aberdeen Regional", "United States", "US", 0],
  ["Ketchikan", "KTN", "Ketchikan International", "United States", "US", 0],
  ["Toronto", "YYZ", "Toronto Pearson International", "Canada", "CA", 6],
  ["Vancouver", "YVR", "Vancouver International", "Canada", "CA", 3.6],
  ["Montreal", "YUL", "Montreal-Trudeau International", "Canada", "CA", 2.7],
  ["Calgary", "YYC", "Calgary International", "Canada", "CA", 1.5],
  ["Whitehorse", "YXY", "Erik Nielsen Whitehorse International", "Canada", "CA", 0],
  ["London", "LHR", "Heathrow", "United Kingdom", "UK", 5.5],
  ["London", "LGW", "Gatwick", "United Kingdom", "UK", 2.3],
  ["Manchester", "MAN", "Manchester Airport", "United Kingdom", "UK", 1.3],
  ["Edinburgh", "EDI", "Edinburgh Airport", "United Kingdom", "UK", 1],
  ["Frankfurt", "FRA", "Frankfurt Airport", "Germany", "DE", 4.4],
  ["Munich", "MUC", "Munich Airport", "Germany", "DE", 2.5],
  ["Berlin", "BER", "Berlin Brandenburg", "Germany", "DE", 1.1],
  ["Paris", "CDG", "Charles de Gaulle", "France", "FR", 3.9],
  ["Paris", "ORY", "Orly", "France", "FR", 0.8],
  ["Nice", "NCE", "Nice Cote d'Azur", "France", "FR", 0],
  ["Amsterdam", "AMS", "Schiphol", "Netherlands", "NL", 3.2],
  ["Dublin", "DUB", "Dublin Airport", "Ireland", "IE", 2.8],
  ["Shannon", "SNN", "Shannon Airport", "Ireland", "IE", 0.7],
  ["Mexico City", "MEX", "Benito Juarez International", "Mexico", "MX", 3],
  ["Cancun", "CUN", "Cancun International", "Mexico", "MX", 2.1],
  ["Madrid", "MAD", "Adolfo Suarez Madrid-Barajas", "Spain", "ES", 1.7],
  ["Barcelona", "BCN", "Barcelona-El Prat", "Spain", "ES", 0.6],
  ["Tokyo", "NRT", "Narita International", "Japan", "JP", 1.6],
  ["Tokyo", "HND", "Haneda", "Japan", "JP", 1.8],
];

/** Aircraft and range in miles (distinct), and how many pilots hold a certificate for it. */
const aircraftSpecs: [string, number, number][] = [
  ["Boeing 747-400", 8430, 9],
  ["Boeing 737-800", 3383, 14],
  ["Airbus A340-300", 7120, 6],
  ["British Aerospace Jetstream 41", 1502, 3],
  ["Embraer ERJ-145", 1530, 7],
  ["SAAB 340", 2128, 4],
  ["Piper Archer III", 520, 2],
  ["Tupolev 154", 4103, 0],
  ["Lockheed L1011", 6900, 5],
  ["Boeing 757-300", 4010, 10],
  ["Boeing 777-300", 6441, 8],
  ["Boeing 767-400ER", 6475, 11],
  ["Airbus A320", 2605, 13],
  ["Airbus A319", 1805, 12],
  ["Boeing 727", 1504, 1],
  ["Schwitzer 2-33", 30, 0],
];

/**
 * Airlines, airports and routes in the style of Spider's `flight_2` (PascalCase columns,
 * `Airline` a number referring to `airlines.uid`, airports keyed by `AirportCode`), beside
 * `flight_1`'s `aircraft`, `employee` and `certificate`. Small tables, no dates.
 */
export function generateFlights(): Table[] {
  const random = createRandom(6_118_042);

  const airlines = airlineSpecs.map(([Airline, Abbreviation, Country], index) => ({
    uid: index + 1,
    Airline,
    Abbreviation,
    Country,
  }));
  const airports = airportSpecs.map(([City, AirportCode, AirportName, Country, CountryAbbrev]) => ({
    City,
    AirportCode,
    AirportName,
    Country,
    CountryAbbrev,
  }));

  const usWeights = airportSpecs
    .filter((spec) => spec[4] === "US" && spec[5] > 0)
    .map((spec) => [spec[1], spec[5]] as const);
  const allWeights = airportSpecs.filter((spec) => spec[5] > 0).map((spec) => [spec[1], spec[5]] as const);
  const homeWeights = (country: string) =>
    airportSpecs
      .filter((spec) => spec[3] === (country === "USA" ? "United States" : country) && spec[5] > 0)
      .map((spec) => [spec[1], spec[5]] as const);

  const flights: { Airline: number; FlightNo: number; SourceAirport: string; DestAirport: string }[] = [];
  const total = 1000;
  const shares = airlineSpecs.reduce((sum, spec) => sum + spec[3], 0);
  airlineSpecs.forEach(([, , country, share], index) => {
    const count = Math.round((total * share) / shares);
    const numbers = new Set<number>();
    const home = homeWeights(country);
    for (let n = 0; n < count; n++) {
      let FlightNo: number;
      do FlightNo = random.int(1, 1999);
      while (numbers.has(FlightNo));
      numbers.add(FlightNo);
      let from: string;
      let to: string;
      if (country === "USA") {
        from = random.weighted(random.chance(0.9) ? usWeights : allWeights);
        do to = random.weighted(random.chance(0.9) ? usWeights : allWeights);
        while (to === from);
      } else {
        // A foreign carrier flies between its home airports and the rest of the network.
        const outbound = random.chance(0.5);
        const homeEnd = random.weighted(home);
        let other: string;
        do other = random.weighted(random.chance(0.75) ? usWeights : allWeights);
        while (other === homeEnd);
        [from, to] = outbound ? [homeEnd, other] : [other, homeEnd];
      }
      flights.push({ Airline: index + 1, FlightNo, SourceAirport: from, DestAirport: to });
    }
  });
  flights.sort((a, b) => a.Airline - b.Airline || a.FlightNo - b.FlightNo);

  const aircraft = aircraftSpecs.map(([name, distance], index) => ({ aid: index + 1, name, distance }));

  const names = personNames(random, 42);
  const usedIds = new Set<number>();
  const usedSalaries = new Set<number>();
  const employee = names.map((name, index) => {
    let eid: number;
    do eid = random.int(11_000_000, 999_999_999);
    while (usedIds.has(eid));
    usedIds.add(eid);
    // The first 30 are pilots and earn more.
    let salary: number;
    do salary = index < 30 ? random.int(60_000, 290_000) : random.int(20_000, 95_000);
    while (usedSalaries.has(salary));
    usedSalaries.add(salary);
    return { eid, name, salary };
  });

  // Pilots are spread over the aircraft so that each aircraft has its listed number of them.
  const certificate: { eid: number; aid: number }[] = [];
  const pilots = employee.slice(0, 30);
  aircraftSpecs.forEach(([, , holders], index) => {
    const chosen = new Set<number>();
    while (chosen.size < holders) chosen.add(random.pick(pilots).eid);
    for (const eid of chosen) certificate.push({ eid, aid: index + 1 });
  });
  certificate.sort((a, b) => a.eid - b.eid || a.aid - b.aid);

  return [
    tableOf("airlines", airlines),
    tableOf("airports", airports),
    tableOf("flights", flights),
    tableOf("aircraft", aircraft),
    tableOf("employee", employee),
    tableOf("certificate", certificate),
  ];
}
